#include "apiserver/tls.hpp"

#include <Poco/Net/SSLManager.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <mutex>
#include <stdexcept>

namespace kmetrics::sim {
namespace {

void useCertAndKey(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem) {
  BIO* b = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (cert == nullptr || SSL_CTX_use_certificate(ctx, cert) != 1) {
    X509_free(cert);
    throw std::runtime_error("tls: bad certificate PEM");
  }
  X509_free(cert);
  b = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (key == nullptr || SSL_CTX_use_PrivateKey(ctx, key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    EVP_PKEY_free(key);
    throw std::runtime_error("tls: bad private key PEM");
  }
  EVP_PKEY_free(key);
}

// Adds every certificate of a PEM bundle to the verify store; `as_client_ca` also advertises them in
// the CertificateRequest so Go clients pick the matching certificate.
void addCas(SSL_CTX* ctx, const std::string& pem, bool as_client_ca) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int count = 0;
  for (int i = 0; i < 64; ++i) {  // bounded: a bundle never holds more
    X509* ca = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
    if (ca == nullptr) break;
    X509_STORE_add_cert(store, ca);
    if (as_client_ca) SSL_CTX_add_client_CA(ctx, ca);
    X509_free(ca);
    ++count;
  }
  BIO_free(b);
  if (count == 0) throw std::runtime_error("tls: CA bundle holds no certificate");
}

}  // namespace

void ensureSslInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Poco::Net::Context::Ptr makeServerContext(const std::string& cert_pem, const std::string& key_pem,
                                          const std::string& client_ca_pem, bool require_client_cert) {
  ensureSslInitialized();
  Poco::Net::Context::Params params;
  params.verificationMode = client_ca_pem.empty() ? Poco::Net::Context::VERIFY_NONE
                            : require_client_cert ? Poco::Net::Context::VERIFY_STRICT
                                                  : Poco::Net::Context::VERIFY_RELAXED;
  params.cipherList = "HIGH:!aNULL:!MD5";
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  // Poco's "extended verification" would match a client certificate's SANs against the peer's IP;
  // client certificates identify users, not hosts (the chain is still verified by OpenSSL).
  ctx->enableExtendedCertificateVerification(false);
  // No session resumption: every connection presents (and we re-verify) its client certificate.
  ctx->disableStatelessSessionResumption();
  SSL_CTX_set_session_cache_mode(ctx->sslContext(), SSL_SESS_CACHE_OFF);
  useCertAndKey(ctx->sslContext(), cert_pem, key_pem);
  if (!client_ca_pem.empty()) addCas(ctx->sslContext(), client_ca_pem, true);
  return ctx;
}

Poco::Net::Context::Ptr makeClientContext(const std::string& ca_pem, const std::string& cert_pem,
                                          const std::string& key_pem) {
  ensureSslInitialized();
  Poco::Net::Context::Params params;
  params.verificationMode = ca_pem.empty() ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_RELAXED;
  params.cipherList = "HIGH:!aNULL:!MD5";
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  if (!ca_pem.empty()) addCas(ctx->sslContext(), ca_pem, false);
  if (!cert_pem.empty()) useCertAndKey(ctx->sslContext(), cert_pem, key_pem);
  return ctx;
}

}  // namespace kmetrics::sim
