#include "kubelet/tls_connection.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace kmetrics::sim {
namespace {

// Offer only HTTP/1.1: a client offering h2 and http/1.1 gets http/1.1; h2-only gets no ALPN.
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
               void*) {
  for (unsigned i = 0; i < inlen;) {
    const unsigned len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == 8 && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *outlen = 8;
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

TlsIdentity::TlsIdentity(const std::string& cert_pem, const std::string& key_pem) {
  BIO* b = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  cert = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  b = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  key = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (!cert || !key) {
    X509_free(cert);
    EVP_PKEY_free(key);
    throw std::runtime_error("kubelet: bad serving certificate PEM");
  }
}

TlsIdentity::~TlsIdentity() {
  X509_free(cert);
  EVP_PKEY_free(key);
}

TlsServerContext::TlsServerContext(const std::string& client_ca_pem) {
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (!ctx_) throw std::runtime_error("kubelet: SSL_CTX_new failed");
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  // A FIN without close_notify reads as a clean close, so a half-closed client can still be answered.
  SSL_CTX_set_options(ctx_, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                             SSL_MODE_RELEASE_BUFFERS);
  // Session resumption: server-side cache (TLS 1.2 ids) and tickets (TLS 1.2/1.3), shared by all nodes.
  static const unsigned char kSid[] = "kmetrics-sim-kubelet";
  SSL_CTX_set_session_id_context(ctx_, kSid, sizeof kSid - 1);
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(ctx_, 20000);
  SSL_CTX_set_alpn_select_cb(ctx_, selectAlpn, nullptr);
  if (!client_ca_pem.empty()) {
    BIO* b = BIO_new_mem_buf(client_ca_pem.data(), static_cast<int>(client_ca_pem.size()));
    X509_STORE* store = SSL_CTX_get_cert_store(ctx_);
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    // Bounded by the PEM size: each iteration consumes one certificate.
    while (X509* ca = PEM_read_bio_X509(b, nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(store, ca);
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca)));
      X509_free(ca);
    }
    ERR_clear_error();
    BIO_free(b);
    SSL_CTX_set_client_CA_list(ctx_, names);
    // Request but do not require: bearer-token clients must still get through.
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  }
}

TlsServerContext::~TlsServerContext() { SSL_CTX_free(ctx_); }

TlsConnection::TlsConnection(const TlsServerContext& ctx, const TlsIdentity& id, int fd) : fd_(fd) {
  ssl_ = SSL_new(ctx.get());
  if (!ssl_ || SSL_use_certificate(ssl_, id.cert) != 1 || SSL_use_PrivateKey(ssl_, id.key) != 1 ||
      SSL_set_fd(ssl_, fd) != 1) {
    if (ssl_) SSL_free(ssl_);
    ssl_ = nullptr;
    ERR_clear_error();
    return;
  }
  SSL_set_accept_state(ssl_);
}

TlsConnection::~TlsConnection() {
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

TlsConnection::Io TlsConnection::classify(int ret) {
  const int err = SSL_get_error(ssl_, ret);
  switch (err) {
    case SSL_ERROR_WANT_READ: return Io::kWantRead;
    case SSL_ERROR_WANT_WRITE: return Io::kWantWrite;
    case SSL_ERROR_ZERO_RETURN: return Io::kClosed;
    default:
      ERR_clear_error();  // per-thread error queue must not grow across connections
      return Io::kError;
  }
}

TlsConnection::Io TlsConnection::handshake() {
  if (!ssl_) return Io::kError;
  const int r = SSL_do_handshake(ssl_);
  if (r == 1) {
    handshake_done_ = true;
    return Io::kOk;
  }
  return classify(r);
}

TlsConnection::Io TlsConnection::read(std::string& buf, size_t max_total) {
  char tmp[16384];
  // Bounded by max_total: stop once the buffer is full even if more is pending.
  while (buf.size() < max_total) {
    const size_t want = std::min(sizeof tmp, max_total - buf.size());
    size_t got = 0;
    const int r = SSL_read_ex(ssl_, tmp, want, &got);
    if (r == 1) {
      buf.append(tmp, got);
      continue;
    }
    return classify(r);
  }
  return Io::kOk;
}

TlsConnection::Io TlsConnection::write(const char* data, size_t len, size_t& written) {
  written = 0;
  if (len == 0) return Io::kOk;
  const int r = SSL_write_ex(ssl_, data, len, &written);
  if (r == 1) return Io::kOk;
  return classify(r);
}

void TlsConnection::sendCloseNotify() {
  if (ssl_ && handshake_done_) {
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
}

std::string TlsConnection::verifiedClientCommonName() const {
  if (!ssl_) return {};
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (!peer) return {};
  std::string cn;
  if (SSL_get_verify_result(ssl_) == X509_V_OK) {
    char buf[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf, sizeof buf);
    cn = buf;
  }
  X509_free(peer);
  return cn;
}

bool TlsConnection::drainRaw() {
  char tmp[4096];
  for (int i = 0; i < 16; ++i) {  // bounded; the next readiness event continues
    const ssize_t n = ::read(fd_, tmp, sizeof tmp);
    if (n == 0) return true;  // peer closed
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
  return false;
}

}  // namespace kmetrics::sim
