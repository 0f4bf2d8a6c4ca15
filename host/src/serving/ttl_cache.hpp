// A small bounded map whose entries expire after a per-entry TTL (token and access-review results).
// When full, expired entries are dropped first, then the entry closest to expiry.
// THREADING: thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace kmetrics {

template <typename V>
class TtlCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TtlCache(std::size_t max_entries = 4096) : max_(max_entries) {}

  std::optional<V> get(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (Clock::now() >= it->second.expires) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  void put(const std::string& key, V value, Clock::duration ttl) {
    if (ttl <= Clock::duration::zero() || max_ == 0) return;
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    if (entries_.size() >= max_ && !entries_.count(key)) evict(now);
    entries_[key] = Entry{std::move(value), now + ttl};
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    V value;
    Clock::time_point expires;
  };
  void evict(Clock::time_point now) {
    auto soonest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.expires <= now) {
        it = entries_.erase(it);
        continue;
      }
      if (soonest == entries_.end() || it->second.expires < soonest->second.expires) soonest = it;
      ++it;
    }
    if (entries_.size() >= max_ && soonest != entries_.end()) entries_.erase(soonest);
  }

  const std::size_t max_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace kmetrics
