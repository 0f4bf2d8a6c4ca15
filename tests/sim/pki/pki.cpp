#include "pki/pki.hpp"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace kmetrics::sim {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;

[[noreturn]] void fail(const char* what) {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  throw std::runtime_error(std::string("pki: ") + what + ": " + buf);
}

PKey newKey() {
  PKey k(EVP_EC_gen("P-256"));
  if (!k) fail("EVP_EC_gen");
  return k;
}

std::string keyToPem(EVP_PKEY* k) {
  Bio b(BIO_new(BIO_s_mem()));
  // PKCS#8 ("BEGIN PRIVATE KEY") is read by Poco, Go and OpenSSL alike.
  if (!PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr)) fail("write key");
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string certToPem(X509* c) {
  Bio b(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(b.get(), c)) fail("write cert");
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

PKey keyFromPem(const std::string& pem) {
  Bio b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PKey k(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
  if (!k) fail("read key");
  return k;
}

Cert certFromPem(const std::string& pem) {
  Bio b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Cert c(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
  if (!c) fail("read cert");
  return c;
}

void addExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, Free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) fail("extension");
  if (!X509_add_ext(cert, ext.get(), -1)) fail("add extension");
}

void setSerial(X509* c) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) fail("RAND_bytes");
  bytes[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
  X509_set_serialNumber(c, serial);
  ASN1_INTEGER_free(serial);
  BN_free(bn);
}

Cert newCert(EVP_PKEY* key, const std::string& cn, const std::vector<std::string>& orgs, int valid_days) {
  Cert c(X509_new());
  X509_set_version(c.get(), 2);
  setSerial(c.get());
  // Back-date a little so clock skew between processes never makes a fresh cert "not yet valid".
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), static_cast<long>(valid_days) * 86400);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  for (const auto& o : orgs)
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(o.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return c;
}

}  // namespace

CertificateAuthority CertificateAuthority::create(const std::string& common_name, int valid_days) {
  PKey key = newKey();
  Cert c = newCert(key.get(), common_name, {}, valid_days);
  X509_set_issuer_name(c.get(), X509_get_subject_name(c.get()));
  addExt(c.get(), c.get(), NID_basic_constraints, "critical,CA:TRUE");
  addExt(c.get(), c.get(), NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
  addExt(c.get(), c.get(), NID_subject_key_identifier, "hash");
  if (!X509_sign(c.get(), key.get(), EVP_sha256())) fail("sign CA");
  CertificateAuthority ca;
  ca.cert_pem_ = certToPem(c.get());
  ca.key_pem_ = keyToPem(key.get());
  return ca;
}

KeyPair CertificateAuthority::issue(const CertSpec& spec) const {
  PKey ca_key = keyFromPem(key_pem_);
  Cert ca_cert = certFromPem(cert_pem_);
  PKey key = newKey();
  Cert c = newCert(key.get(), spec.common_name, spec.organizations, spec.valid_days);
  X509_set_issuer_name(c.get(), X509_get_subject_name(ca_cert.get()));
  addExt(c.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExt(c.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  std::string eku;
  if (spec.server_auth) eku = "serverAuth";
  if (spec.client_auth) eku += eku.empty() ? "clientAuth" : ",clientAuth";
  if (!eku.empty()) addExt(c.get(), ca_cert.get(), NID_ext_key_usage, eku);
  addExt(c.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  std::string sans;
  for (const auto& d : spec.dns_sans) sans += (sans.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : spec.ip_sans) sans += (sans.empty() ? "" : ",") + std::string("IP:") + ip;
  if (!sans.empty()) addExt(c.get(), ca_cert.get(), NID_subject_alt_name, sans);
  if (!X509_sign(c.get(), ca_key.get(), EVP_sha256())) fail("sign leaf");
  return KeyPair{certToPem(c.get()), keyToPem(key.get())};
}

void writeFile(const std::string& path, const std::string& content, bool private_key) {
  // Create with the final mode so a key is never world-readable, even briefly.
  std::remove(path.c_str());
  mode_t old = umask(private_key ? 077 : 022);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  umask(old);
  if (!out) throw std::runtime_error("pki: cannot write " + path);
  out << content;
  out.close();
  if (!out) throw std::runtime_error("pki: write failed " + path);
  chmod(path.c_str(), private_key ? 0600 : 0644);
}

}  // namespace kmetrics::sim
