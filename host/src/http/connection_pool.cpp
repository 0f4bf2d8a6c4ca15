#include "http/connection_pool.hpp"

#include <poll.h>

namespace kmetrics::http {

ConnectionPool::ConnectionPool(Options options)
    : options_(options), next_sweep_(std::chrono::steady_clock::now() + options.idle_timeout) {}

ConnectionPool::~ConnectionPool() { clear(); }

bool session_is_stale(Poco::Net::HTTPClientSession& session) {
  if (!session.connected()) return true;
  int fd = session.socket().impl()->sockfd();
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  int rc = ::poll(&p, 1, 0);
  // An idle HTTP/1.1 connection has nothing to read: readable means EOF, a TLS alert or junk.
  return rc != 0;
}

ConnectionPool::SessionPtr ConnectionPool::acquire(const std::string& key) {
  std::deque<SessionPtr> discard;  // destroyed after the lock is released
  SessionPtr found;
  auto now = std::chrono::steady_clock::now();
  for (int attempt = 0; attempt < 64 && !found; ++attempt) {  // bounded: a few stale ones at most
    SessionPtr candidate;
    {
      std::lock_guard lock(mu_);
      auto it = idle_.find(key);
      if (it == idle_.end() || it->second.empty()) break;
      Idle entry = std::move(it->second.back());
      it->second.pop_back();
      if (it->second.empty()) idle_.erase(it);
      --total_;
      if (now - entry.since > options_.idle_timeout) {
        discard.push_back(std::move(entry.session));
        continue;
      }
      candidate = std::move(entry.session);
    }
    if (session_is_stale(*candidate)) {
      discard.push_back(std::move(candidate));
    } else {
      found = std::move(candidate);
    }
  }
  return found;
}

void ConnectionPool::release(const std::string& key, SessionPtr session) {
  if (!session) return;
  std::deque<SessionPtr> discard;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (now >= next_sweep_) sweep_locked(now, discard);
    auto& q = idle_[key];
    if (q.size() >= options_.max_idle_per_endpoint || total_ >= options_.max_idle_total) {
      discard.push_back(std::move(session));
      if (q.empty()) idle_.erase(key);
    } else {
      q.push_back(Idle{std::move(session), now});
      ++total_;
    }
  }
}

void ConnectionPool::sweep_locked(std::chrono::steady_clock::time_point now, std::deque<SessionPtr>& out) {
  next_sweep_ = now + options_.idle_timeout;
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& q = it->second;
    while (!q.empty() && now - q.front().since > options_.idle_timeout) {
      out.push_back(std::move(q.front().session));
      q.pop_front();
      --total_;
    }
    it = q.empty() ? idle_.erase(it) : std::next(it);
  }
}

void ConnectionPool::clear() {
  std::unordered_map<std::string, std::deque<Idle>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(idle_);
    total_ = 0;
  }
}

size_t ConnectionPool::idle_count() const {
  std::lock_guard lock(mu_);
  return total_;
}

}  // namespace kmetrics::http
