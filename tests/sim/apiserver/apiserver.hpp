// The simulated kube-apiserver: HTTPS on 127.0.0.1, core nodes/pods (list, get, watch, selectors,
// Table, PartialObjectMetadata), discovery, TokenReview/SubjectAccessReview, the
// extension-apiserver-authentication ConfigMap, the aggregation layer for metrics.k8s.io, the
// heapster service proxy, and a /sim/ control API for tests. See tests/sim/README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "apiserver/auth.hpp"
#include "cluster/cluster_state.hpp"
#include "pki/pki.hpp"

namespace kmetrics::sim {

class Aggregator;
class ObjectStore;
struct ServerCore;

struct ApiServerConfig {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;                 // 0 = ephemeral
  KeyPair serving;                   // serving cert (SANs localhost, 127.0.0.1)
  std::string client_ca_pem;         // cluster CA: verifies client certificates, published as client-ca-file
  std::string front_proxy_ca_pem;    // published as requestheader-client-ca-file
  KeyPair front_proxy_client;        // the aggregator's client cert to backends (CN aggregator)
  std::string metrics_backend;       // if set, v1beta1.metrics.k8s.io is registered at start
  std::string metrics_backend_ca_pem;  // empty: insecureSkipTLSVerify like components.yaml
  std::string heapster_backend;      // plain http://host:port for the heapster service proxy
  std::string kmetrics_user = "system:serviceaccount:kube-system:kmetrics";
  std::string version_minor = "33";
  std::string git_version = "v1.33.1";
  int probe_interval_ms = 2000;      // aggregator availability probe period
  int max_watch_seconds = 1800;      // upper bound on any watch (clients send timeoutSeconds)
  int bookmark_interval_ms = 10000;  // when allowWatchBookmarks=true
  int max_threads = 96;              // every open watch holds one
  bool log_requests = false;         // one line per request on stderr
};

class ApiServer {
 public:
  ApiServer(ClusterState& state, ApiServerConfig config);
  ~ApiServer();  // stops
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  void start();
  void stop();  // idempotent; closes watches and in-flight connections
  uint16_t port() const;
  std::string url() const;  // https://127.0.0.1:PORT

  Authenticator& authenticator();
  Authorizer& authorizer();
  Aggregator& aggregator();
  ObjectStore& store();

  // Watch expiry controls (also reachable through POST /sim/watch/expire).
  // `resource` is "nodes", "pods" or "" for both; `http_410` answers an HTTP 410 instead of the
  // apiserver's usual 200 + ERROR event.
  void expireWatches(const std::string& resource, bool http_410);

 private:
  std::unique_ptr<ServerCore> core_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmetrics::sim
