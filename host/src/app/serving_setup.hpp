// Builds the secure server from the config: TLS options, delegated authentication (flags plus the
// extension-apiserver-authentication ConfigMap, TokenReview) and authorization (SubjectAccessReview)
// through the API server, metrics-server's health checks, and /metrics.
#pragma once

#include <atomic>
#include <memory>

#include "app/host_services.hpp"
#include "cluster/cluster_view.hpp"
#include "cluster/rest_config.hpp"
#include "config/host_config.hpp"
#include "metrics/self_metrics.hpp"
#include "serving/auth_config.hpp"
#include "serving/health.hpp"
#include "serving/route_registry.hpp"
#include "serving/secure_server.hpp"
#include "store/store.hpp"

namespace kmetrics {

class ServingSetup {
 public:
  // Everything referenced must outlive the server this builds.
  ServingSetup(const config::HostConfig& cfg, const cluster::RestConfig& rest, std::shared_ptr<RouteRegistry> routes,
               SelfMetrics& metrics, const Store& store, const cluster::ClusterView& view, const HostServices& services,
               const std::atomic<bool>& shutting_down, const std::atomic<int64_t>& last_tick_start_ns);
  ~ServingSetup();

  // Loads the authentication config (may read the ConfigMap), starts its refresher and the server.
  // Throws std::runtime_error with a precise message.
  std::unique_ptr<SecureServer> start();

 private:
  void addHealthChecks();

  const config::HostConfig& cfg_;
  const cluster::RestConfig& rest_;
  std::shared_ptr<RouteRegistry> routes_;
  SelfMetrics& metrics_;
  const Store& store_;
  const cluster::ClusterView& view_;
  const HostServices& services_;
  const std::atomic<bool>& shutting_down_;
  const std::atomic<int64_t>& last_tick_start_ns_;
  std::shared_ptr<HealthChecks> health_;
  std::unique_ptr<AuthConfigLoader> auth_loader_;
};

}  // namespace kmetrics
