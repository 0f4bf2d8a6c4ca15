// Idle keep-alive sessions, pooled per endpoint key (profile + scheme + host + port).
//
// A session is owned by exactly one request at a time: acquire() hands it out exclusively and
// release() puts it back; sessions are never shared concurrently. Bounded: at most
// `max_idle_per_endpoint` idle sessions per endpoint and `max_idle_total` overall (bounded file
// descriptors; the host raises RLIMIT_NOFILE at start so one connection per kubelet fits); sessions idle longer than `idle_timeout` are closed. Sessions
// are closed (which may write a TLS close_notify) outside the pool lock.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <Poco/Net/HTTPClientSession.h>

namespace kmetrics::http {

class ConnectionPool {
 public:
  struct Options {
    size_t max_idle_per_endpoint = 4;
    size_t max_idle_total = 16384;  // one idle connection per kubelet up to this many nodes
    std::chrono::milliseconds idle_timeout = std::chrono::seconds(90);
  };
  using SessionPtr = std::unique_ptr<Poco::Net::HTTPClientSession>;

  explicit ConnectionPool(Options options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // The most recently used live idle session for `key`, or nullptr. Sessions whose peer already
  // closed (socket readable while idle) or that idled too long are discarded on the way.
  SessionPtr acquire(const std::string& key);
  // Returns a session whose last response was read completely and that may be kept alive.
  void release(const std::string& key, SessionPtr session);
  // Closes every idle session.
  void clear();
  size_t idle_count() const;

 private:
  struct Idle {
    SessionPtr session;
    std::chrono::steady_clock::time_point since;
  };
  // Moves expired sessions of all endpoints into `out` (called under mu_).
  void sweep_locked(std::chrono::steady_clock::time_point now, std::deque<SessionPtr>& out);

  const Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::deque<Idle>> idle_;
  size_t total_ = 0;
  std::chrono::steady_clock::time_point next_sweep_;
};

// True when an idle connection's socket has become readable (peer closed or sent garbage).
bool session_is_stale(Poco::Net::HTTPClientSession& session);

}  // namespace kmetrics::http
