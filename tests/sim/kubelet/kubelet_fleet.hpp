// Simulated kubelets for every node of a ClusterState, served by a few epoll threads.
//
// Each node gets a listener on node.internal_ip:node.kubelet_port (127.x.y.z, all of 127/8 is on lo)
// speaking HTTPS with the node's own certificate from the kubelet CA (CN system:node:<name>,
// O system:nodes, IP SAN = address, DNS SAN = name). Endpoints, as a 1.30+ kubelet:
//   GET /metrics/resource           Prometheus text (resource_metrics_encoder.hpp)
//   GET|POST /stats/summary         Summary JSON; ?only_cpu_and_memory=true trims it
//   GET /metrics/cadvisor           cAdvisor families with kubelet labels
//   GET /healthz                    "ok"
// Every path needs authentication, like the real port 10250: `Authorization: Bearer <accepted_token>`
// (401 otherwise, 403 for `forbidden_token`) or, if client_ca_pem is set, a client certificate it signed.
// Values are computed at request time from the ClusterState and the workload model. Node faults
// (ClusterState::setFault) are read per request; see fault_injection.hpp for what each does.
// Nodes added or removed at runtime get their listener opened or closed (ClusterState events).
//
// Threading: `threads` event loops; each node belongs to one loop. Nothing here blocks a loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster/cluster_state.hpp"
#include "pki/pki.hpp"

namespace kmetrics::sim {

struct FleetOptions {
  std::string accepted_token;   // empty: any request is authenticated (no 401)
  std::string forbidden_token;  // authenticated but not authorized: 403
  std::string client_ca_pem;    // empty: client certificates are not requested
  int threads = 1;              // event-loop threads (1 serves 5,000 nodes; 2 uses both cores)
  int idle_timeout_ms = 90'000;     // keep-alive idle, as the kubelet's http.Server IdleTimeout
  int request_timeout_ms = 30'000;  // TLS handshake + request headers must arrive within this
  int write_timeout_ms = 60'000;    // a response must be taken by the client within this
};

struct FleetStats {
  uint64_t requests_served = 0;   // responses fully handed to TLS (any status)
  uint64_t connections_accepted = 0;
  uint64_t handshakes_completed = 0;
  uint64_t sessions_resumed = 0;
  uint64_t listeners_open = 0;
  double loop_cpu_seconds = 0;    // CPU of the fleet's event-loop threads only
  double cert_issue_seconds = 0;  // wall time spent issuing serving certificates (in start())
};

class KubeletFleet {
 public:
  // `state` must outlive the fleet; `kubelet_ca` is read here (cert and key) and not kept.
  KubeletFleet(ClusterState& state, const CertificateAuthority& kubelet_ca, FleetOptions options = {});
  ~KubeletFleet();  // stops
  KubeletFleet(const KubeletFleet&) = delete;
  KubeletFleet& operator=(const KubeletFleet&) = delete;

  // Raises RLIMIT_NOFILE to the hard limit, ignores SIGPIPE (process-wide), issues certificates,
  // binds every node's listener and starts the loops. Throws std::runtime_error if a listener
  // cannot be bound (e.g. the address:port is taken); a node added later that cannot bind is
  // logged to stderr and skipped.
  void start();
  // Closes every listener and connection (hung ones included) and joins the loops. Idempotent.
  void stop();

  uint64_t requestsServed() const;
  FleetStats stats() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmetrics::sim
