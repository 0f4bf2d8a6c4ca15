#include "serving/x509_util.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>

namespace kmetrics {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr mem_bio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::vector<std::string> name_entries(X509* cert, int nid) {
  std::vector<std::string> out;
  X509_NAME* name = X509_get_subject_name(cert);
  if (name == nullptr) return out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n >= 0) out.emplace_back(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
  }
  return out;
}

}  // namespace

X509Ptr x509_ref(X509* cert) {
  if (cert != nullptr) X509_up_ref(cert);
  return X509Ptr(cert);
}

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256] = {0};
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

std::vector<X509Ptr> parse_pem_certs(std::string_view pem) {
  std::vector<X509Ptr> out;
  BioPtr bio = mem_bio(pem);
  while (bio) {
    X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (c == nullptr) break;
    out.emplace_back(c);
  }
  ERR_clear_error();  // the loop always ends on a "no start line" error
  return out;
}

EvpKeyPtr parse_pem_key(std::string_view pem) {
  BioPtr bio = mem_bio(pem);
  EvpKeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  return key;
}

std::string cert_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string subject_cn(X509* cert) {
  auto cns = name_entries(cert, NID_commonName);
  return cns.empty() ? std::string() : cns.back();  // Go takes the last CN when several exist
}

std::vector<std::string> subject_orgs(X509* cert) { return name_entries(cert, NID_organizationName); }

namespace {

// The certificate's DER bytes; empty if it cannot be encoded (then nothing is cached).
std::string der_of(X509* cert) {
  const int len = i2d_X509(cert, nullptr);
  if (len <= 0) return {};
  std::string out(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d_X509(cert, &p) != len) return {};
  return out;
}

std::optional<VerifiedChains::Clock::time_point> not_after_of(X509* cert) {
  std::tm tm{};
  const ASN1_TIME* t = X509_get0_notAfter(cert);
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return VerifiedChains::Clock::from_time_t(timegm(&tm));
}

}  // namespace

std::shared_ptr<const CaBundle> CaBundle::from_pem(std::string pem) {
  auto bundle = std::make_shared<CaBundle>();
  bundle->certs_ = parse_pem_certs(pem);
  if (bundle->certs_.empty() && pem.find_first_not_of(" \t\r\n") != std::string::npos)
    throw std::runtime_error("no certificate found in CA bundle");
  bundle->store_.reset(X509_STORE_new());
  for (const auto& c : bundle->certs_) X509_STORE_add_cert(bundle->store_.get(), c.get());
  ERR_clear_error();  // duplicate certificates in a bundle are not an error
  bundle->pem_ = std::move(pem);
  return bundle;
}

std::string CaBundle::verify_client(X509* leaf, const std::vector<X509Ptr>& intermediates) const {
  if (leaf == nullptr) return "no client certificate";
  if (certs_.empty()) return "no CA configured";
  std::string key = der_of(leaf);
  STACK_OF(X509)* chain = sk_X509_new_null();
  for (const auto& c : intermediates) {
    if (X509_cmp(c.get(), leaf) == 0) continue;
    X509_up_ref(c.get());
    sk_X509_push(chain, c.get());
    key += der_of(c.get());
  }
  const auto now = VerifiedChains::Clock::now();
  if (!key.empty() && verified_.contains(key, now)) {
    sk_X509_pop_free(chain, X509_free);
    return "";
  }
  ++full_verifications_;
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  std::string result;
  if (X509_STORE_CTX_init(ctx, store_.get(), leaf, chain) != 1) {
    result = openssl_error();
  } else {
    // Purpose sslclient enforces the clientAuth EKU when the leaf carries an EKU extension.
    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
    if (X509_verify_cert(ctx) != 1) {
      result = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
      if (result.empty()) result = "certificate verification failed";
    }
  }
  X509_STORE_CTX_free(ctx);
  sk_X509_pop_free(chain, X509_free);
  ERR_clear_error();
  if (result.empty() && !key.empty()) {
    if (auto not_after = not_after_of(leaf)) verified_.add(std::move(key), now, *not_after);
  }
  return result;
}

}  // namespace kmetrics
