#include "serving/self_signed.hpp"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "serving/cert_reloader.hpp"
#include "serving/x509_util.hpp"

namespace kmetrics {
namespace {

constexpr long kValidSeconds = 365L * 24 * 3600;
constexpr long kRenewBeforeSeconds = 7L * 24 * 3600;  // regenerate when less than a week is left

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("self-signed certificate: " + what + ": " + openssl_error());
}

void add_ext(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) fail("extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

bool covers(X509* cert, const SelfSignedRequest& req) {
  for (const auto& d : req.dns_names)
    if (X509_check_host(cert, d.c_str(), d.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) != 1)
      return false;
  for (const auto& ip : req.ip_addresses)
    if (X509_check_ip_asc(cert, ip.c_str(), 0) != 1) return false;
  return true;
}

bool reusable(const std::string& cert_file, const std::string& key_file, const SelfSignedRequest& req) {
  std::error_code ec;
  if (!std::filesystem::exists(cert_file, ec) || !std::filesystem::exists(key_file, ec)) return false;
  try {
    auto pair = load_cert_key(cert_file, key_file);
    std::time_t soon = std::time(nullptr) + kRenewBeforeSeconds;
    if (X509_cmp_time(X509_get0_notAfter(pair->leaf.get()), &soon) <= 0) return false;
    return covers(pair->leaf.get(), req);
  } catch (const std::exception&) {
    return false;
  }
}

void write_file(const std::string& path, const std::string& content, mode_t mode) {
  // Write beside the target and rename, so a reader never sees a half-written file.
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  mode_t old = ::umask(0077);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      ::umask(old);
      throw std::runtime_error("cannot write " + tmp);
    }
    out << content;
    out.close();
    if (!out) {
      ::umask(old);
      throw std::runtime_error("write failed: " + tmp);
    }
  }
  ::umask(old);
  ::chmod(tmp.c_str(), mode);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp);
}

std::string key_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    BIO_free(bio);
    fail("write key");
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

SelfSignedResult ensure_self_signed_cert(const SelfSignedRequest& req) {
  SelfSignedResult result;
  std::filesystem::path dir(req.cert_dir.empty() ? "." : req.cert_dir);
  result.cert_file = (dir / "apiserver.crt").string();
  result.key_file = (dir / "apiserver.key").string();
  if (reusable(result.cert_file, result.key_file, req)) return result;

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create cert dir " + dir.string() + ": " + ec.message());

  EvpKeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("EVP_EC_gen");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("RAND_bytes");
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // tolerate clock skew
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidSeconds);
  X509_set_pubkey(cert.get(), key.get());
  // Same subject shape as client-go's GenerateSelfSignedCertKey: "<host>@<unix seconds>".
  std::string host = req.dns_names.empty() ? std::string("localhost") : req.dns_names.front();
  std::string cn = host + "@" + std::to_string(std::time(nullptr));
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  // CA:TRUE so the file itself can be used as the caBundle/CA file of a verifying client.
  add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign");
  add_ext(cert.get(), NID_ext_key_usage, "serverAuth");
  add_ext(cert.get(), NID_subject_key_identifier, "hash");
  std::string sans;
  for (const auto& d : req.dns_names) sans += (sans.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : req.ip_addresses) sans += (sans.empty() ? "IP:" : ",IP:") + ip;
  if (!sans.empty()) add_ext(cert.get(), NID_subject_alt_name, sans);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("sign");

  // Key first: a reloader watching the pair then sees a matching cert as the last change.
  write_file(result.key_file, key_pem(key.get()), 0600);
  write_file(result.cert_file, cert_to_pem(cert.get()), 0644);
  result.generated = true;
  return result;
}

}  // namespace kmetrics
