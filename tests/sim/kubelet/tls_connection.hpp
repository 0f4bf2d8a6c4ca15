// Non-blocking OpenSSL server side: one shared SSL_CTX for the whole fleet (session cache and
// tickets shared), each connection presents its node's own certificate via SSL_use_certificate.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <string>

namespace kmetrics::sim {

// A node's serving identity, parsed once from PEM.
struct TlsIdentity {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  TlsIdentity() = default;
  TlsIdentity(const std::string& cert_pem, const std::string& key_pem);  // throws on bad PEM
  TlsIdentity(X509* c, EVP_PKEY* k) : cert(c), key(k) {}               // takes ownership
  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;
};

class TlsServerContext {
 public:
  // `client_ca_pem` non-empty: client certificates are requested (not required) and verified.
  explicit TlsServerContext(const std::string& client_ca_pem);
  ~TlsServerContext();
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

class TlsConnection {
 public:
  enum class Io { kOk, kWantRead, kWantWrite, kClosed, kError };

  // Takes ownership of `fd`.
  TlsConnection(const TlsServerContext& ctx, const TlsIdentity& id, int fd);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  int fd() const { return fd_; }
  bool handshakeDone() const { return handshake_done_; }
  bool sessionReused() const { return ssl_ && SSL_session_reused(ssl_) == 1; }
  Io handshake();
  // Appends decrypted bytes to `buf` until the socket would block or `buf` holds `max_total`.
  Io read(std::string& buf, size_t max_total);
  // Writes from data; `written` is how much was taken (partial writes allowed).
  Io write(const char* data, size_t len, size_t& written);
  // Sends close_notify (best effort) — for orderly closes only, never for the "truncated" fault.
  void sendCloseNotify();
  // CN of a verified client certificate, empty if none or not verified.
  std::string verifiedClientCommonName() const;
  // Raw socket read used while lingering after a close (TLS state no longer matters).
  bool drainRaw();

 private:
  Io classify(int ret);
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool handshake_done_ = false;
};

}  // namespace kmetrics::sim
