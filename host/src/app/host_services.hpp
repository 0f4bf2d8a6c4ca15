// The kmetrics_host_api table the host hands every plugin instance, implemented over the host's
// subsystems: logging (spdlog), self-metrics, clocks, cluster view, store snapshots, the outgoing HTTP
// client and the route registry. Each instance gets its own InstanceContext as `host_ctx`.
// THREADING: the table's functions are thread-safe; contexts are created on the control thread.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "app/cluster_access.hpp"
#include "app/instance_context.hpp"
#include "kmetrics/abi.h"

namespace kmetrics {

class SelfMetrics;
class Store;
class RouteRegistry;
namespace http {
class HttpClient;
}

struct HostSubsystems {
  SelfMetrics* metrics = nullptr;          // required
  const Store* store = nullptr;            // required
  const ClusterAccess* cluster = nullptr;  // null: an empty, unsynced view
  http::HttpClient* http = nullptr;        // null: http_request answers UNAVAILABLE
  RouteRegistry* routes = nullptr;         // null: route_register answers UNAVAILABLE
};

class HostServices {
 public:
  explicit HostServices(HostSubsystems subsystems);
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  const kmetrics_host_api* table() const { return &table_; }
  const HostSubsystems& subsystems() const { return subsystems_; }

  // A context for a new instance; lives as long as the HostServices.
  InstanceContext* newContext(const std::string& id);
  // Instances that reported themselves unhealthy: "id: reason" lines (for /healthz).
  std::vector<std::string> unhealthyInstances() const;

 private:
  HostSubsystems subsystems_;
  kmetrics_host_api table_{};
  mutable std::mutex mu_;
  std::deque<InstanceContext> contexts_;  // deque: stable addresses
};

}  // namespace kmetrics
