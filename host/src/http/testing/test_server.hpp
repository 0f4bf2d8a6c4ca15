// Test-only HTTP(S) server on 127.0.0.1 (Poco HTTPServer, SecureServerSocket for TLS) running a
// handler function; counts distinct client connections so tests can assert keep-alive reuse.
// Handlers that stream or hang must poll stopping() and return when it is true.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace Poco::Net {
class HTTPServer;
}

namespace kmetrics::http::testing {

class TestServer {
 public:
  using Handler = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;
  struct Options {
    bool tls = true;
    std::string cert_path, key_path;  // required when tls
    std::string client_ca_path;       // set: client certificates signed by this CA are required
    bool keep_alive = true;
    int keep_alive_timeout_ms = 10000;
  };

  TestServer(Options options, Handler handler);
  ~TestServer();
  void stop();

  uint16_t port() const { return port_; }
  std::string base_url() const;  // "https://127.0.0.1:<port>"
  size_t connections() const;
  size_t requests() const { return requests_.load(); }
  bool stopping() const { return stopping_.load(); }
  // Blocks until `stopping()` or `ms` passed; for hanging handlers.
  void sleep_unless_stopping(int ms) const;

 private:
  class Factory;
  Options options_;
  Handler handler_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::set<std::string> clients_;
  std::atomic<size_t> requests_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace kmetrics::http::testing
