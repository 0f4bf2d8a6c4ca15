// Per-instance state behind the `host_ctx` pointer the host gives each plugin instance: who is
// calling (for logs and metrics) and the instance's health as it last reported it.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

namespace kmetrics {

class HostServices;

struct InstanceContext {
  std::string id;  // "type/name"
  HostServices* services = nullptr;
  std::atomic<bool> shut_down{false};  // set once the instance's shutdown returned

  // Health as set by the plugin through set_health.
  mutable std::mutex health_mu;
  bool healthy = true;
  std::string health_reason;
};

}  // namespace kmetrics
