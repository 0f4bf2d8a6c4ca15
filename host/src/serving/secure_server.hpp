// The host's HTTP listeners on Poco::Net:
//  - secure (--secure-port): TLS from a reloading certificate (given files or a self-signed pair in
//    --cert-dir), then per request: authentication → in-flight limit → authorization → route.
//  - heapster (--heapster-port): plain HTTP (or TLS with the same certificate), no authn/authz.
// Unknown paths answer a 404 Status; more than max_requests_inflight concurrent requests answer 429
// with Retry-After (system:masters, i.e. the aggregator's probes, are exempt as in kube-apiserver).
// /livez, /readyz, /healthz and /metrics are host routes on the secure listener (/healthz also on
// the heapster one); route handlers from plugins come through the RouteRegistry.
// THREADING: start/stop from one thread; requests are handled on a bounded Poco thread pool.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "serving/authenticator.hpp"
#include "serving/authorizer.hpp"
#include "serving/health.hpp"
#include "serving/route_registry.hpp"
#include "serving/tls_context.hpp"

namespace kmetrics {

struct ServingOptions {
  // Secure listener. Port 0 = do not serve HTTPS (metrics-server semantics); -1 = an ephemeral port.
  std::string bind_address = "0.0.0.0";
  int secure_port = 443;
  std::string tls_cert_file, tls_private_key_file;  // both or neither
  std::string cert_dir = "apiserver.local.config/certificates";
  std::vector<std::string> self_signed_dns_names{"localhost"};  // add e.g. metrics-server.kube-system.svc
  std::vector<std::string> self_signed_ip_addresses{"127.0.0.1"};
  TlsServerOptions tls;
  std::chrono::milliseconds cert_check_interval{1000};  // how often the cert files are stat'ed

  // Heapster listener. Port 0 = off; -1 = an ephemeral port.
  int heapster_port = 0;
  std::string heapster_bind_address = "0.0.0.0";
  bool heapster_tls = false;

  int max_requests_inflight = 400;  // 0 = no limit
  int retry_after_seconds = 1;
  // Threads per listener = connections served at once (an idle keep-alive connection holds one).
  // 0 = max_requests_inflight + 32, capped at 1024, so the 429 limit is reachable.
  int max_threads = 0;
  int max_queued = 256;   // accepted connections waiting for a thread; beyond, they are closed
  std::chrono::seconds keep_alive_timeout{30};
  int max_keep_alive_requests = 1000;
  std::chrono::seconds read_timeout{60};
  std::size_t max_response_bytes = 64u << 20;
  std::size_t max_request_body_bytes = 1u << 20;  // bodies are read and dropped (routes are GET)
};

struct ServingDeps {
  std::shared_ptr<Authenticator> authenticator;  // required when the secure listener is on
  std::shared_ptr<Authorizer> authorizer;        // required when the secure listener is on
  std::shared_ptr<RouteRegistry> routes;         // required
  std::shared_ptr<HealthChecks> health;          // optional
  std::function<std::string()> metrics_text;     // optional: /metrics body (Prometheus text 0.0.4)
  // optional: the host logger (KMETRICS_LOG_* level, message); called from request threads.
  std::function<void(int level, const std::string& message)> log;
};

class SecureServer {
 public:
  SecureServer(ServingOptions options, ServingDeps deps);
  ~SecureServer();
  SecureServer(const SecureServer&) = delete;
  SecureServer& operator=(const SecureServer&) = delete;

  // Prepares certificates, binds and starts both listeners. Throws std::runtime_error /
  // std::invalid_argument (bad TLS options, unreadable cert, port in use).
  void start();
  // Stops accepting, lets in-flight requests finish (idempotent).
  void stop();

  int secure_port() const;    // bound port, 0 when off
  int heapster_port() const;  // bound port, 0 when off
  std::string cert_file() const;  // the serving certificate in use
  std::shared_ptr<CertReloader> cert_reloader() const;
  int in_flight() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmetrics
