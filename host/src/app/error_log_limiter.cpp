#include "app/error_log_limiter.hpp"

namespace kmetrics {

bool ErrorLogLimiter::shouldLog(const std::string& key, Clock::time_point now, uint64_t* suppressed) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted || now - it->second.last >= interval_) {
    *suppressed = it->second.suppressed;
    it->second = Entry{now, 0};
    return true;
  }
  ++it->second.suppressed;
  return false;
}

void ErrorLogLimiter::clear(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

}  // namespace kmetrics
