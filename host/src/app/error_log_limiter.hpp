// Logs a recurring error once per interval per key (a node, a plugin instance), with the number of
// occurrences suppressed since, so a failing node cannot flood the log at 5,000 nodes.
// THREADING: thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kmetrics {

class ErrorLogLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ErrorLogLimiter(std::chrono::nanoseconds interval) : interval_(interval) {}

  // True when the caller should log now; `suppressed` is set to how many were skipped since the
  // last logged one.
  bool shouldLog(const std::string& key, Clock::time_point now, uint64_t* suppressed);
  // Forgets a key (e.g. a node that recovered), so its next error is logged at once.
  void clear(const std::string& key);

 private:
  struct Entry {
    Clock::time_point last;
    uint64_t suppressed = 0;
  };
  const std::chrono::nanoseconds interval_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace kmetrics
