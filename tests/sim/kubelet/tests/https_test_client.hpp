// A small blocking HTTPS/1.1 client on plain OpenSSL for the kubelet tests and the bench: keep-alive,
// Content-Length and chunked bodies, socket timeouts, server certificate verified against a CA and
// the IP address. Independent of the kubelet code under test and of the plugins.
#pragma once

#include <openssl/ssl.h>

#include <map>
#include <memory>
#include <string>

namespace kmetrics::sim::testing {

struct HttpsResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  bool complete = false;  // false: connection ended or timed out before the body was complete
  std::string error;
};

class ClientTlsContext {
 public:
  // `ca_pem` verifies servers; `cert_pem`/`key_pem` optional client certificate.
  explicit ClientTlsContext(const std::string& ca_pem, const std::string& cert_pem = "",
                            const std::string& key_pem = "");
  ~ClientTlsContext();
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

class HttpsConnection {
 public:
  HttpsConnection(const ClientTlsContext& ctx, std::string ip, uint16_t port, int timeout_ms = 5000);
  ~HttpsConnection();
  HttpsConnection(const HttpsConnection&) = delete;
  HttpsConnection& operator=(const HttpsConnection&) = delete;

  // Connects (TCP + TLS) if not connected. Returns false with error() set on failure.
  bool connect();
  bool connected() const { return ssl_ != nullptr; }
  bool sessionReused() const;
  // Subject CN and subjectAltName text ("DNS:x, IP Address:y") of the server certificate.
  std::string peerCommonName() const;
  std::string peerSubjectAltNames() const;
  // Sends one request and reads one response. `extra_headers` are full "Name: value\r\n" lines.
  HttpsResponse request(const std::string& method, const std::string& target, const std::string& token,
                        const std::string& extra_headers = "", const std::string& body = "");
  void close();
  const std::string& error() const { return error_; }
  int timeoutMs() const { return timeout_ms_; }
  void setTimeoutMs(int ms);
  // Sends close_notify right after the next request (a half-close), then reads the response.
  void setHalfCloseAfterRequest(bool on) { half_close_ = on; }

 private:
  bool readMore(std::string& buf);
  const ClientTlsContext& ctx_;
  std::string ip_;
  uint16_t port_;
  int timeout_ms_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  SSL_SESSION* session_ = nullptr;  // reused on reconnect (TLS resumption)
  std::string pending_;             // bytes read past the previous response
  std::string error_;
  bool half_close_ = false;
};

}  // namespace kmetrics::sim::testing
