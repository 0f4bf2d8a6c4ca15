// Test-only HTTP(S) client on raw OpenSSL, so tests control exactly what a peer does: which client
// certificate it presents, which TLS versions it offers, and what certificate the server showed.
// One request per connection (Connection: close).
// THREADING: each call is independent; safe from many threads.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kmetrics::testing {

struct ClientOptions {
  bool tls = true;
  std::string cert_pem, key_pem;  // client certificate (leaf first; intermediates may follow)
  int min_version = 0, max_version = 0;  // TLS1_1_VERSION etc.; 0 = library defaults
  bool security_level_0 = false;          // let the client itself offer TLS 1.0/1.1
  int timeout_ms = 10000;
};

struct HttpResult {
  bool connected = false;  // TCP connect and (for TLS) handshake succeeded
  std::string error;
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string server_cert_serial;  // hex, as BN_bn2hex
  std::string server_cert_pem;
  std::string cipher;   // negotiated, OpenSSL name
  std::string version;  // "TLSv1.2", ...
  std::string raw;      // every byte the server sent
};

// Sends `bytes` verbatim on one connection and reads until the server closes (for keep-alive and
// pipelining checks). `raw` holds the answer; status/headers/body describe the first response.
HttpResult exchange(int port, const std::string& bytes, const ClientOptions& options = {});

HttpResult http_request(int port, const std::string& method, const std::string& target,
                        const std::vector<std::pair<std::string, std::string>>& headers = {},
                        const ClientOptions& options = {});

inline HttpResult https_get(int port, const std::string& target,
                            const std::vector<std::pair<std::string, std::string>>& headers = {},
                            const ClientOptions& options = {}) {
  return http_request(port, "GET", target, headers, options);
}

}  // namespace kmetrics::testing
