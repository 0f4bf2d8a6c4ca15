#include "http/tls_context.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <memory>
#include <mutex>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <Poco/Net/NetSSL.h>

namespace kmetrics::http {

namespace {

thread_local std::string t_verify_error;

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr mem_bio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string peer_ip(SSL* ssl) {
  int fd = SSL_get_fd(ssl);
  if (fd < 0) return {};
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
  char buf[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
  } else if (ss.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// Replaces X509_verify_cert for our contexts: pins the expected identity into the verify params,
// then runs the normal chain verification, which now also checks the name or IP SAN.
int verify_with_identity(X509_STORE_CTX* store_ctx, void*) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(store_ctx);
  std::string identity;
  if (ssl != nullptr) {
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    identity = (sni != nullptr && *sni != 0) ? std::string(sni) : peer_ip(ssl);
  }
  if (identity.empty()) {
    t_verify_error = "cannot determine the peer identity to verify";
    return 0;
  }
  int set_ok = is_ip_literal(identity.c_str())
                   ? X509_VERIFY_PARAM_set1_ip_asc(param, identity.c_str())
                   : X509_VERIFY_PARAM_set1_host(param, identity.c_str(), identity.size());
  if (set_ok != 1) {
    t_verify_error = "cannot set the expected peer identity " + identity;
    return 0;
  }
  int ok = X509_verify_cert(store_ctx);
  if (ok != 1) {
    int err = X509_STORE_CTX_get_error(store_ctx);
    t_verify_error = X509_verify_cert_error_string(err);
    if (err == X509_V_ERR_HOSTNAME_MISMATCH || err == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      t_verify_error += " (expected " + identity + ")";
    }
  }
  return ok;
}

void load_cas(SSL_CTX* ctx, const TlsSettings& s) {
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  auto bio = mem_bio(s.ca_pem);
  int count = 0;
  for (int i = 0; i < 10000; ++i) {  // bounded: a CA bundle has at most a few hundred entries
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    if (X509_STORE_add_cert(store, cert) != 1) {
      // A duplicate certificate is harmless; anything else is reported.
      unsigned long e = ERR_peek_last_error();
      if (ERR_GET_REASON(e) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
        X509_free(cert);
        throw std::runtime_error(s.origin + ": CA data: " + openssl_error());
      }
      ERR_clear_error();
    }
    X509_free(cert);
    ++count;
  }
  ERR_clear_error();  // the loop ends with a "no start line" error
  if (count == 0) throw std::runtime_error(s.origin + ": CA data: no PEM certificate found");
}

void load_client_cert(SSL_CTX* ctx, const TlsSettings& s) {
  if (s.client_cert_pem.empty() != s.client_key_pem.empty()) {
    throw std::runtime_error(s.origin + ": client certificate and client key must be given together");
  }
  auto bio = mem_bio(s.client_cert_pem);
  X509* leaf = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr) {
    ERR_clear_error();
    throw std::runtime_error(s.origin + ": client certificate: no PEM certificate found");
  }
  int rc = SSL_CTX_use_certificate(ctx, leaf);
  X509_free(leaf);
  if (rc != 1) throw std::runtime_error(s.origin + ": client certificate: " + openssl_error());
  for (int i = 0; i < 100; ++i) {  // intermediates, if any
    X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (extra == nullptr) break;
    if (SSL_CTX_add_extra_chain_cert(ctx, extra) != 1) {  // takes ownership on success
      X509_free(extra);
      throw std::runtime_error(s.origin + ": client certificate chain: " + openssl_error());
    }
  }
  ERR_clear_error();
  auto kbio = mem_bio(s.client_key_pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kbio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    ERR_clear_error();
    throw std::runtime_error(s.origin + ": client key: no PEM private key found");
  }
  rc = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (rc != 1) throw std::runtime_error(s.origin + ": client key: " + openssl_error());
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw std::runtime_error(s.origin + ": client key does not match the client certificate: " + openssl_error());
  }
}

}  // namespace

void ensure_ssl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Poco::Net::Context::Ptr make_client_context(const TlsSettings& s) {
  ensure_ssl_initialized();
  Poco::Net::Context::Params params;
  params.verificationMode = s.insecure_skip_verify ? Poco::Net::Context::VERIFY_NONE
                                                   : Poco::Net::Context::VERIFY_RELAXED;
  params.loadDefaultCAs = s.use_system_cas && !s.insecure_skip_verify;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
  Poco::Net::Context::Ptr ctx;
  try {
    ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(s.origin + ": TLS context: " + e.displayText());
  }
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  ctx->enableExtendedCertificateVerification(false);  // identity is checked in the handshake instead
  SSL_CTX* raw = ctx->sslContext();
  // Kubelet connections are idle between ticks almost all the time: without this, each keeps ~34 KiB
  // of OpenSSL read/write buffers (170 MiB at 5,000 nodes). With it the write buffer goes after each
  // write; DirectConnection::idle() frees the read buffer that a completed response leaves behind.
  SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS);
  if (s.insecure_skip_verify) {
    SSL_CTX_set_verify(raw, SSL_VERIFY_NONE, nullptr);
  } else {
    if (!s.ca_pem.empty()) load_cas(raw, s);
    // No callback: a verification error always fails the handshake.
    SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_cert_verify_callback(raw, &verify_with_identity, nullptr);
  }
  if (!s.client_cert_pem.empty() || !s.client_key_pem.empty()) load_client_cert(raw, s);
  return ctx;
}

bool is_ip_literal(const char* host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

const std::string& last_verify_error() { return t_verify_error; }
void clear_last_verify_error() { t_verify_error.clear(); }

}  // namespace kmetrics::http
