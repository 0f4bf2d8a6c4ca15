// Serving certificate + key loaded from two PEM files and reloaded when either changes on disk
// (mtime/size/inode), so a rotated certificate is used by new TLS connections without a restart.
// A reload that fails (half-written file, key not matching) keeps the previous good pair.
// THREADING: all methods are thread-safe; current() is called from TLS handshakes on any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "serving/x509_util.hpp"

namespace kmetrics {

struct CertKey {
  X509Ptr leaf;
  std::vector<X509Ptr> chain;  // the certificates after the leaf in the cert file
  EvpKeyPtr key;
  std::string serial_hex;
};

// Loads and checks a cert/key pair (the key must match the leaf). Throws std::runtime_error.
std::shared_ptr<const CertKey> load_cert_key(const std::string& cert_file, const std::string& key_file);

class CertReloader {
 public:
  // Loads the pair now (throws std::runtime_error when it cannot). `check_interval` bounds how often
  // the files are stat'ed (0 = on every handshake).
  CertReloader(std::string cert_file, std::string key_file,
               std::chrono::milliseconds check_interval = std::chrono::seconds(1));

  // The current pair, after a rate-limited check of the files. Never null.
  std::shared_ptr<const CertKey> current();

  // Checks the files now; returns true when a new pair was loaded. Errors keep the old pair and are
  // returned through `error` (when not null).
  bool check_now(std::string* error = nullptr);

  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }
  std::uint64_t reload_count() const { return reloads_.load(); }

 private:
  struct Stamp {
    long long mtime_ns = 0, size = 0, inode = 0;
    bool operator==(const Stamp&) const = default;
  };
  static bool stamp(const std::string& path, Stamp& out);

  const std::string cert_file_, key_file_;
  const std::chrono::milliseconds interval_;
  std::atomic<std::shared_ptr<const CertKey>> current_;
  std::atomic<std::int64_t> next_check_ns_{0};
  std::mutex reload_mu_;  // serializes reloads; guards the stamps
  Stamp cert_stamp_, key_stamp_;
  std::atomic<std::uint64_t> reloads_{0};
};

}  // namespace kmetrics
