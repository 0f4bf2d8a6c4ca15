// Bearer tokens for outgoing requests: a fixed string (kubeconfig `token`) or a file (kubeconfig
// `tokenFile`, the in-cluster service-account token) that is re-read when it changes, so projected
// service-account tokens, which the kubelet rotates, keep working.
//
// Thread-safety: token() may be called from any number of threads at once. The file is read outside
// the internal lock; at most one thread re-reads at a time, the others get the previous token.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace kmetrics::http {

class TokenSource {
 public:
  // A token that never changes.
  static std::shared_ptr<TokenSource> fixed(std::string token);
  // Reads `path` now (throws std::runtime_error naming the file and the reason if that fails or the
  // file is empty), then checks the file's identity (inode, size, mtime) at most every `recheck`
  // and re-reads it when it changed. A failed re-read keeps the last good token.
  static std::shared_ptr<TokenSource> file(std::string path,
                                           std::chrono::milliseconds recheck = std::chrono::seconds(60));

  // The current token, without surrounding whitespace. Empty for fixed("").
  std::string token();
  // The file path, empty for a fixed token.
  const std::string& path() const { return path_; }
  // How many times the file was (re)read successfully; for tests and self-metrics.
  uint64_t reads() const;

  TokenSource(std::string token, std::string path, std::chrono::milliseconds recheck);

 private:
  struct FileId {
    uint64_t inode = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileId&) const = default;
  };
  static FileId stat_file(const std::string& path);  // throws
  static std::string read_token_file(const std::string& path);  // throws

  const std::string path_;
  const std::chrono::milliseconds recheck_;
  mutable std::mutex mu_;
  std::string token_;
  FileId id_;
  std::chrono::steady_clock::time_point next_check_;
  bool checking_ = false;
  uint64_t reads_ = 0;
};

}  // namespace kmetrics::http
