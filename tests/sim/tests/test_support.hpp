// Test helpers for the simulated apiserver: a real TLS client (Poco HTTPSClientSession), a watch
// stream reader, and an HTTPS backend that stands in for kmetrics behind the aggregator.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pki/pki.hpp"

namespace kmetrics::sim::testing {

struct Identity {
  std::string cert_pem, key_pem;  // client certificate, or
  std::string token;              // bearer token; both empty = anonymous
};

struct Response {
  int status = 0;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

Response call(uint16_t port, const std::string& ca_pem, const Identity& id, const std::string& method,
              const std::string& path, const std::string& accept = "", const std::string& body = "",
              const std::vector<std::pair<std::string, std::string>>& headers = {});

// A watch response read line by line.
class WatchStream {
 public:
  WatchStream(uint16_t port, const std::string& ca_pem, const Identity& id, const std::string& path,
              const std::string& accept = "");
  ~WatchStream();
  int status() const { return status_; }
  const std::string& contentType() const { return content_type_; }
  // Next event, or nullopt on timeout / end of stream.
  std::optional<nlohmann::json> next(int timeout_ms = 5000);
  bool ended() const { return ended_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int status_ = 0;
  std::string content_type_;
  bool ended_ = false;
};

// What the backend saw for one request.
struct SeenRequest {
  std::string method, uri, peer_cn;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> all(const std::string& name) const;  // case-insensitive
};

// HTTPS server that requires a client certificate from `client_ca_pem` (the front-proxy CA) and
// answers like a metrics.k8s.io server: discovery, and echoes everything else as JSON.
class EchoBackend {
 public:
  EchoBackend(const KeyPair& serving, const std::string& client_ca_pem);
  ~EchoBackend();
  uint16_t port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> seen() const;
  void clear();
  std::atomic<int> force_status{0};  // non-zero: answer every request with this status
  // Optional custom responder: returns {status, body} or nullopt to use the default.
  std::function<std::optional<std::pair<int, std::string>>(const SeenRequest&)> responder;

  class Handler;
  void record(const SeenRequest& r);

 private:
  mutable std::mutex mu_;
  std::vector<SeenRequest> seen_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

// Runs a command with a timeout; returns exit code and combined stdout/stderr.
std::pair<int, std::string> run(const std::string& command, int timeout_s = 60);

CertSpec clientCert(const std::string& cn, std::vector<std::string> orgs = {});
CertSpec serverCert(const std::string& cn);

}  // namespace kmetrics::sim::testing
