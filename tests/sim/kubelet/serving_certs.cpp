// EC_KEY is deprecated in OpenSSL 3 but is the fast path for building many certificates (see header).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "kubelet/serving_certs.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

namespace kmetrics::sim {
namespace {

[[noreturn]] void fail(const char* what) {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  ERR_clear_error();
  throw std::runtime_error(std::string("kubelet certs: ") + what + ": " + buf);
}

void addExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) fail("extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

void addName(X509_NAME* name, const char* field, const std::string& value) {
  X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                             -1, 0);
}

}  // namespace

KubeletCertIssuer::KubeletCertIssuer(const CertificateAuthority& ca) {
  BIO* b = BIO_new_mem_buf(ca.certPem().data(), static_cast<int>(ca.certPem().size()));
  ca_cert_ = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  b = BIO_new_mem_buf(ca.keyPem().data(), static_cast<int>(ca.keyPem().size()));
  ca_key_ = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  group_ = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  if (ca_key_ && EVP_PKEY_get_base_id(ca_key_) == EVP_PKEY_EC) {
    // A legacy copy of an EC CA key signs several times faster with OpenSSL 3.0.
    EVP_PKEY* legacy = EVP_PKEY_new();
    if (legacy && EVP_PKEY_assign_EC_KEY(legacy, EVP_PKEY_get1_EC_KEY(ca_key_)) == 1) {
      EVP_PKEY_free(ca_key_);
      ca_key_ = legacy;
    } else {
      EVP_PKEY_free(legacy);
    }
  }
  if (!ca_cert_ || !ca_key_ || !group_) {
    X509_free(ca_cert_);
    EVP_PKEY_free(ca_key_);
    EC_GROUP_free(group_);
    fail("kubelet CA");
  }
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial_), sizeof serial_);
  serial_ &= 0x7fffffffffffull;  // positive, room to count up
}

KubeletCertIssuer::~KubeletCertIssuer() {
  X509_free(ca_cert_);
  EVP_PKEY_free(ca_key_);
  EC_GROUP_free(group_);
}

std::shared_ptr<const TlsIdentity> KubeletCertIssuer::issue(const Node& node) {
  std::lock_guard lock(mu_);
  EC_KEY* ec = EC_KEY_new();
  EVP_PKEY* key = EVP_PKEY_new();
  if (!ec || !key || EC_KEY_set_group(ec, group_) != 1 || EC_KEY_generate_key(ec) != 1 ||
      EVP_PKEY_assign_EC_KEY(key, ec) != 1) {
    EC_KEY_free(ec);
    EVP_PKEY_free(key);
    fail("keygen");
  }
  X509* c = X509_new();
  X509_set_version(c, 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(c), ++serial_);
  X509_gmtime_adj(X509_getm_notBefore(c), -3600);  // tolerate clock skew between processes
  X509_gmtime_adj(X509_getm_notAfter(c), 365L * 86400);
  X509_set_pubkey(c, key);
  X509_NAME* subject = X509_get_subject_name(c);
  addName(subject, "O", "system:nodes");
  addName(subject, "CN", "system:node:" + node.name);
  X509_set_issuer_name(c, X509_get_subject_name(ca_cert_));
  addExt(c, ca_cert_, NID_basic_constraints, "critical,CA:FALSE");
  addExt(c, ca_cert_, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  addExt(c, ca_cert_, NID_ext_key_usage, "serverAuth");
  addExt(c, ca_cert_, NID_authority_key_identifier, "keyid:always");
  addExt(c, ca_cert_, NID_subject_alt_name, "DNS:" + node.name + ",IP:" + node.internal_ip);
  if (!X509_sign(c, ca_key_, EVP_sha256())) {
    X509_free(c);
    EVP_PKEY_free(key);
    fail("sign");
  }
  return std::make_shared<const TlsIdentity>(c, key);
}

}  // namespace kmetrics::sim
