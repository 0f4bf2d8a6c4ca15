// Small OpenSSL helpers for the serving layer: RAII handles, PEM parsing, CA bundles and client-chain
// verification. Everything here is stateless or immutable after construction, except a CaBundle's
// cache of chains that verified.
// THREADING: free functions are thread-safe; a CaBundle may be shared and used from any thread.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "serving/verified_chains.hpp"

namespace kmetrics {

struct OpenSslFree {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
using EvpKeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslFree>;

// Shares ownership of an X509 by taking one more reference (X509_up_ref).
X509Ptr x509_ref(X509* cert);

// The last OpenSSL error as text (and clears the error queue).
std::string openssl_error();

// Every certificate of a PEM bundle, in order. Empty on parse failure or no certificates.
std::vector<X509Ptr> parse_pem_certs(std::string_view pem);
EvpKeyPtr parse_pem_key(std::string_view pem);
std::string cert_to_pem(X509* cert);

// Subject common name, and every Subject O value (Kubernetes reads O as groups).
std::string subject_cn(X509* cert);
std::vector<std::string> subject_orgs(X509* cert);

// A trust anchor set built from a PEM bundle; an empty bundle (or no certs) means "not configured".
class CaBundle {
 public:
  // Throws std::runtime_error when `pem` is non-empty but holds no certificate.
  static std::shared_ptr<const CaBundle> from_pem(std::string pem);

  const std::string& pem() const { return pem_; }
  std::size_t size() const { return certs_.size(); }

  // Verifies `leaf` (plus the untrusted `intermediates` the peer sent) for TLS client use
  // (ExtKeyUsageClientAuth, as Go's x509 verify with KeyUsages=[ClientAuth]). Returns "" when the
  // chain verifies, else the reason. A chain that verified is remembered for a few seconds (never
  // past the leaf's notAfter): a front proxy presents the same one with every request.
  std::string verify_client(X509* leaf, const std::vector<X509Ptr>& intermediates) const;
  // How many chains verify_client() checked with OpenSSL (not answered from the cache).
  std::size_t full_verifications() const { return full_verifications_.load(); }

 private:
  std::string pem_;
  std::vector<X509Ptr> certs_;
  X509StorePtr store_;  // built once; OpenSSL locks its lookups, so verifications may run concurrently
  mutable VerifiedChains verified_;
  mutable std::atomic<std::size_t> full_verifications_{0};
};

}  // namespace kmetrics
