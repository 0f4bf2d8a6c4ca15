#include "serving/cert_reloader.hpp"

#include <openssl/bn.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kmetrics {
namespace {

constexpr std::size_t kMaxPemBytes = 1 << 20;  // a cert bundle or key larger than this is not ours

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string data;
  data.resize(kMaxPemBytes + 1);
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > kMaxPemBytes) throw std::runtime_error(path + " is larger than 1 MiB");
  return data;
}

std::string serial_hex(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
  char* hex = bn ? BN_bn2hex(bn) : nullptr;
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::int64_t mono_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::shared_ptr<const CertKey> load_cert_key(const std::string& cert_file, const std::string& key_file) {
  auto certs = parse_pem_certs(read_small_file(cert_file));
  if (certs.empty()) throw std::runtime_error("no certificate in " + cert_file);
  EvpKeyPtr key = parse_pem_key(read_small_file(key_file));
  if (!key) throw std::runtime_error("no private key in " + key_file);
  if (X509_check_private_key(certs.front().get(), key.get()) != 1) {
    openssl_error();
    throw std::runtime_error("private key " + key_file + " does not match certificate " + cert_file);
  }
  auto out = std::make_shared<CertKey>();
  out->serial_hex = serial_hex(certs.front().get());
  out->leaf = std::move(certs.front());
  for (std::size_t i = 1; i < certs.size(); ++i) out->chain.push_back(std::move(certs[i]));
  out->key = std::move(key);
  return out;
}

CertReloader::CertReloader(std::string cert_file, std::string key_file, std::chrono::milliseconds check_interval)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), interval_(check_interval) {
  std::lock_guard lock(reload_mu_);
  stamp(cert_file_, cert_stamp_);
  stamp(key_file_, key_stamp_);
  current_.store(load_cert_key(cert_file_, key_file_));
  next_check_ns_ = mono_ns() + std::chrono::nanoseconds(interval_).count();
}

bool CertReloader::stamp(const std::string& path, Stamp& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  out.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  out.size = static_cast<long long>(st.st_size);
  out.inode = static_cast<long long>(st.st_ino);
  return true;
}

std::shared_ptr<const CertKey> CertReloader::current() {
  std::int64_t now = mono_ns();
  std::int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  // Only one thread wins the slot; the others keep serving the current pair without waiting.
  if (now >= due &&
      next_check_ns_.compare_exchange_strong(due, now + std::chrono::nanoseconds(interval_).count())) {
    check_now();
  }
  return current_.load();
}

bool CertReloader::check_now(std::string* error) {
  std::lock_guard lock(reload_mu_);
  Stamp c, k;
  if (!stamp(cert_file_, c) || !stamp(key_file_, k)) {
    if (error) *error = "cannot stat " + cert_file_ + " or " + key_file_;
    return false;
  }
  if (c == cert_stamp_ && k == key_stamp_) return false;
  try {
    auto loaded = load_cert_key(cert_file_, key_file_);
    current_.store(std::move(loaded));
    cert_stamp_ = c;
    key_stamp_ = k;
    reloads_.fetch_add(1);
    return true;
  } catch (const std::exception& e) {
    // Likely mid-rotation (cert written, key not yet): keep the old pair and retry on the next check.
    if (error) *error = e.what();
    return false;
  }
}

}  // namespace kmetrics
