// Idle keep-alive connections, pooled per endpoint key (profile + scheme + host + port).
//
// A connection is owned by exactly one request at a time: acquire() hands it out exclusively and
// release() puts it back; connections are never shared concurrently. Bounded: at most
// `max_idle_per_endpoint` idle connections per endpoint and `max_idle_total` overall (bounded file
// descriptors; the host raises RLIMIT_NOFILE at start so one connection per kubelet fits);
// connections idle longer than `idle_timeout` are closed. Closing (which may write a TLS
// close_notify) happens outside the pool lock.
//
// `IsStale(conn)` says when an idle connection can no longer be used (peer closed, junk arrived).
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kmetrics::http {

struct IdlePoolOptions {
  size_t max_idle_per_endpoint = 4;
  size_t max_idle_total = 16384;  // one idle connection per kubelet up to this many nodes
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(90);
};

template <class Conn, bool (*IsStale)(Conn&)>
class IdlePool {
 public:
  using Options = IdlePoolOptions;
  using ConnPtr = std::unique_ptr<Conn>;

  explicit IdlePool(Options options) : options_(options), next_sweep_(Clock::now() + options.idle_timeout) {}
  ~IdlePool() { clear(); }
  IdlePool(const IdlePool&) = delete;
  IdlePool& operator=(const IdlePool&) = delete;

  // The most recently used live idle connection for `key`, or nullptr. Connections that went stale
  // or idled too long are discarded on the way.
  ConnPtr acquire(const std::string& key) {
    std::vector<ConnPtr> discard;  // destroyed after the lock is released (empty: no allocation)
    const auto now = Clock::now();
    for (int attempt = 0; attempt < 64; ++attempt) {  // bounded: a few stale ones at most
      ConnPtr candidate;
      {
        std::lock_guard lock(mu_);
        auto it = idle_.find(key);
        if (it == idle_.end() || it->second.empty()) break;
        Idle entry = std::move(it->second.back());
        it->second.pop_back();
        if (it->second.empty()) idle_.erase(it);
        --total_;
        if (now - entry.since > options_.idle_timeout) {
          discard.push_back(std::move(entry.conn));
          continue;
        }
        candidate = std::move(entry.conn);
      }
      if (!IsStale(*candidate)) return candidate;
      discard.push_back(std::move(candidate));
    }
    return nullptr;
  }

  // Returns a connection whose last response was read completely and that may be kept alive.
  void release(const std::string& key, ConnPtr conn) {
    if (!conn) return;
    std::vector<ConnPtr> discard;
    const auto now = Clock::now();
    std::lock_guard lock(mu_);
    if (now >= next_sweep_) sweep_locked(now, discard);
    auto& q = idle_[key];
    if (q.size() >= options_.max_idle_per_endpoint || total_ >= options_.max_idle_total) {
      discard.push_back(std::move(conn));
      if (q.empty()) idle_.erase(key);
    } else {
      q.push_back(Idle{std::move(conn), now});
      ++total_;
    }
    // `discard` is declared before the lock guard, so it is destroyed after the unlock.
  }

  // Closes every idle connection.
  void clear() {
    std::unordered_map<std::string, std::vector<Idle>> all;
    {
      std::lock_guard lock(mu_);
      all.swap(idle_);
      total_ = 0;
    }
  }

  size_t idle_count() const {
    std::lock_guard lock(mu_);
    return total_;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Idle {
    ConnPtr conn;
    Clock::time_point since;
  };

  // Moves expired connections of all endpoints into `out` (called under mu_).
  void sweep_locked(Clock::time_point now, std::vector<ConnPtr>& out) {
    next_sweep_ = now + options_.idle_timeout;
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& q = it->second;
      while (!q.empty() && now - q.front().since > options_.idle_timeout) {
        out.push_back(std::move(q.front().conn));
        q.erase(q.begin());
        --total_;
      }
      it = q.empty() ? idle_.erase(it) : std::next(it);
    }
  }

  const Options options_;
  mutable std::mutex mu_;
  // Oldest first. A vector, not a deque: at most max_idle_per_endpoint entries, and one endpoint per
  // kubelet (a deque's first block alone is 512 bytes).
  std::unordered_map<std::string, std::vector<Idle>> idle_;
  size_t total_ = 0;
  Clock::time_point next_sweep_;
};

}  // namespace kmetrics::http
