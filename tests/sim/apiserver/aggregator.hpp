// The aggregation layer (kube-aggregator) for APIService objects such as v1beta1.metrics.k8s.io:
// availability probing and the mutual-TLS proxy that turns the caller's identity into front-proxy
// headers (wire-formats.md §6).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "apiserver/auth.hpp"
#include "pki/pki.hpp"

namespace kmetrics::sim {

struct ApiServiceSpec {
  std::string name;         // "v1beta1.metrics.k8s.io"
  std::string group;        // "metrics.k8s.io"
  std::string version;      // "v1beta1"
  std::string backend_url;  // https://127.0.0.1:PORT (stands in for the Service endpoint)
  std::string ca_bundle_pem;  // empty = insecureSkipTLSVerify: true
};

struct ApiServiceStatus {
  bool available = false;
  std::string reason = "Pending";  // Passed | FailedDiscoveryCheck | Pending
  std::string message = "not yet checked";
  int64_t last_transition_unix = 0;
  uint64_t probes = 0;
};

class Aggregator {
 public:
  Aggregator(KeyPair front_proxy_client, int probe_interval_ms);
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  void start();  // starts the probe loop
  void stop();   // idempotent

  // Registers (or replaces) an APIService; it starts unavailable and is probed right away.
  void registerService(const ApiServiceSpec& spec);
  bool unregisterService(const std::string& name);
  struct Entry {
    ApiServiceSpec spec;
    ApiServiceStatus status;
  };
  std::vector<Entry> services() const;
  std::optional<Entry> serviceFor(const std::string& group, const std::string& version) const;
  std::optional<Entry> serviceForGroup(const std::string& group) const;

  // One synchronous probe round over every service (the loop calls this too).
  void probeAll();

  // Forwards the request (already authenticated and authorized) to the service's backend.
  void proxy(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, const UserInfo& user,
             const Entry& service, const std::string& path, const std::string& raw_query);

  // Apiservice objects as apiregistration.k8s.io/v1 JSON text.
  std::string apiServiceJson(const Entry& e) const;

 private:
  ApiServiceStatus probe(const ApiServiceSpec& spec) const;
  void loop();

  const KeyPair client_;
  const int probe_interval_ms_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> services_;
  bool stopping_ = false;
  bool probe_requested_ = false;
  std::thread thread_;
};

// "authentication.kubernetes.io/pod-name" -> "X-Remote-Extra-Authentication.kubernetes.io%2fpod-Name"
std::string remoteExtraHeaderName(const std::string& key);

}  // namespace kmetrics::sim
