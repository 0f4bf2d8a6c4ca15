#include "kubelet/kubelet_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "kubelet/http_request_parser.hpp"
#include "kubelet/time_format.hpp"

namespace kmetrics::sim {
namespace {

constexpr int kAcceptBatch = 64;           // accepts per readiness event, so one node cannot starve others
constexpr int kSweepMs = 250;
constexpr int kAcceptPauseMs = 100;        // after EMFILE, so a full fd table does not spin the loop
constexpr size_t kMaxInBuffer = kMaxHeaderBytes + kMaxBodyBytes + 4096;
constexpr size_t kMaxPipelined = 8192;     // bound on the request loop (the buffer bounds it sooner)

}  // namespace

// ---------------------------------------------------------------------------------------------- LoopState

bool LoopState::openListener(const std::string& node, const std::string& ip, uint16_t port,
                             std::shared_ptr<const TlsIdentity> identity, std::string* error) {
  if (listeners.count(node)) return true;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (error) *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 512) != 0) {
    if (error) *error = "bind " + ip + ":" + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  auto l = std::make_unique<Listener>(*this, node, fd, std::move(identity));
  loop.add(fd, EPOLLIN, l.get());
  listeners.emplace(node, std::move(l));
  return true;
}

void LoopState::closeNode(const std::string& node) {
  auto it = listeners.find(node);
  if (it != listeners.end()) {
    it->second->shutdown();
    loop.retire(std::move(it->second));
    listeners.erase(it);
  }
  std::vector<Connection*> doomed;
  for (Connection* c : connections) {
    if (c->node() == node) doomed.push_back(c);
  }
  for (Connection* c : doomed) c->close();
}

void LoopState::closeAll() {
  std::vector<Connection*> all(connections.begin(), connections.end());
  for (Connection* c : all) c->close();
  for (auto& [_, l] : listeners) {
    l->shutdown();
    loop.retire(std::move(l));
  }
  listeners.clear();
}

void LoopState::startSweeps() {
  sweep_timer = loop.runAfter(kSweepMs, [this] {
    const EventLoop::Clock now = EventLoop::now();
    std::vector<Connection*> all(connections.begin(), connections.end());
    for (Connection* c : all) c->checkDeadline(now);
    startSweeps();
  });
}

// ---------------------------------------------------------------------------------------------- Listener

Listener::Listener(LoopState& ls, std::string node, int fd, std::shared_ptr<const TlsIdentity> identity)
    : ls_(ls), node_(std::move(node)), fd_(fd), identity_(std::move(identity)) {}

Listener::~Listener() { ::close(fd_); }

void Listener::shutdown() {
  if (resume_timer_) ls_.loop.cancel(resume_timer_);
  resume_timer_ = 0;
  paused_ = true;
  ls_.loop.remove(fd_);
}

void Listener::onEvents(uint32_t) {
  if (paused_) return;
  for (int i = 0; i < kAcceptBatch; ++i) {
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        paused_ = true;
        ls_.loop.modify(fd_, 0, this);
        resume_timer_ = ls_.loop.runAfter(kAcceptPauseMs, [this] {
          resume_timer_ = 0;
          paused_ = false;
          ls_.loop.modify(fd_, EPOLLIN, this);
        });
      }
      return;  // EAGAIN or a transient error: wait for the next event
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ls_.shared->connections_accepted.fetch_add(1, std::memory_order_relaxed);
    auto* c = new Connection(ls_, node_, fd, identity_);
    ls_.connections.insert(c);
    c->start();
  }
}

// ---------------------------------------------------------------------------------------------- Connection

Connection::Connection(LoopState& ls, std::string node, int fd, std::shared_ptr<const TlsIdentity> identity)
    : ls_(ls), node_(std::move(node)), identity_(std::move(identity)), tls_(*ls.shared->tls, *identity_, fd) {}

void Connection::start() {
  interest_ = EPOLLIN | EPOLLRDHUP;
  ls_.loop.add(tls_.fd(), interest_, this);
  setDeadline(ls_.shared->limits.request_timeout_ms);
  drive();  // the ClientHello may already be there
}

void Connection::want(uint32_t events) {
  // After the client's half-close, input readiness would fire forever; only writes matter then.
  if (peer_done_) events &= EPOLLOUT;
  else events |= EPOLLRDHUP;
  if (events != interest_) {
    interest_ = events;
    ls_.loop.modify(tls_.fd(), interest_, this);
  }
}

void Connection::setDeadline(int ms) { deadline_ = ms > 0 ? EventLoop::now() + int64_t{ms} * 1'000'000 : 0; }

void Connection::checkDeadline(EventLoop::Clock now) {
  if (!closed_ && deadline_ != 0 && now > deadline_) close();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  if (delay_timer_) ls_.loop.cancel(delay_timer_);
  ls_.loop.remove(tls_.fd());
  ls_.connections.erase(this);
  ls_.loop.retire(std::unique_ptr<IoHandler>(this));  // fd and SSL freed after this event batch
}

void Connection::linger(bool close_notify) {
  // Half-close and wait for the client's FIN: closing with unread input would send an RST that
  // can destroy the response still in flight (Go's closeWriteAndWait does the same).
  if (close_notify) tls_.sendCloseNotify();
  ::shutdown(tls_.fd(), SHUT_WR);
  state_ = State::kLingering;
  peer_done_ = false;  // lingering reads raw bytes until EOF, so input readiness is wanted again
  want(EPOLLIN);
  setDeadline(ls_.shared->limits.linger_ms);
}

void Connection::onEvents(uint32_t events) {
  if (closed_) return;
  if (state_ == State::kLingering) {
    if (tls_.drainRaw() || (events & (EPOLLHUP | EPOLLERR))) close();
    return;
  }
  if (events & EPOLLERR) return close();
  drive();
}

void Connection::drive() {
  if (closed_) return;
  if (!tls_.handshakeDone()) {
    switch (tls_.handshake()) {
      case TlsConnection::Io::kOk: break;
      case TlsConnection::Io::kWantRead: return want(EPOLLIN);
      case TlsConnection::Io::kWantWrite: return want(EPOLLOUT);
      default: return close();
    }
    ls_.shared->handshakes_completed.fetch_add(1, std::memory_order_relaxed);
    if (tls_.sessionReused()) ls_.shared->sessions_resumed.fetch_add(1, std::memory_order_relaxed);
    client_cn_ = tls_.verifiedClientCommonName();
    state_ = State::kReading;
    want(EPOLLIN);
  }
  if (state_ == State::kWriting) {
    if (!flush()) return;
    if (closed_ || state_ != State::kReading) return;
  }
  // Read what is there: new requests, or (hung / delayed) only to notice the client leaving.
  const TlsConnection::Io r = tls_.read(in_, kMaxInBuffer);
  if (r == TlsConnection::Io::kClosed && state_ == State::kReading && !in_.empty() && !peer_done_) {
    // Some clients (openssl s_client, HTTP/1.0 tools) half-close right after their request.
    peer_done_ = true;
    want(0);
    processRequests();
    if (!closed_ && state_ == State::kReading) close();  // nothing complete to answer
    return;
  }
  if (r == TlsConnection::Io::kClosed && !peer_done_ && state_ == State::kDelayed) {
    // Half-close while a slow answer is pending: still answer (a client that really left makes the
    // write fail). A hung connection instead ends here: EOF is how a client gives up.
    peer_done_ = true;
    want(0);
    return;
  }
  if (r == TlsConnection::Io::kClosed || r == TlsConnection::Io::kError) return close();
  if (r == TlsConnection::Io::kWantWrite) want(EPOLLIN | EPOLLOUT);
  if (state_ == State::kHung || state_ == State::kDelayed) {
    if (in_.size() >= kMaxInBuffer) in_.clear();  // bounded: nobody will answer these bytes anyway
    return;
  }
  processRequests();
}

void Connection::processRequests() {
  for (size_t n = 0; n < kMaxPipelined && state_ == State::kReading && !closed_; ++n) {
    HttpRequest req;
    size_t consumed = 0;
    const ParseResult pr = parseHttpRequest(in_, req, consumed);
    PreparedResponse prepared;
    const UnixNanos now = wallNow();
    if (pr == ParseResult::kIncomplete) {
      setDeadline(in_.empty() ? ls_.shared->limits.idle_timeout_ms : ls_.shared->limits.request_timeout_ms);
      if (in_.empty() && in_.capacity() > 4096) std::string().swap(in_);
      return;
    }
    if (pr != ParseResult::kComplete) {
      const int status = pr == ParseResult::kHeadersTooLarge ? 431 : pr == ParseResult::kBodyTooLarge ? 413 : 400;
      prepareErrorResponse(status, now, prepared);
      in_.clear();
    } else {
      in_.erase(0, consumed);
      // A change made just before this request (restart, pod added) must be visible in it.
      if (ls_.shared->model_has_pending()) ls_.shared->sync_model();
      const RequestContext ctx{node_, req, client_cn_, now,
                               ls_.shared->request_seq.fetch_add(1, std::memory_order_relaxed)};
      ls_.shared->handler->prepare(ctx, prepared, ls_.scratch);
      if (ls_.scratch.capacity() > (1u << 20)) std::string().swap(ls_.scratch);
    }
    if (prepared.hang) {
      state_ = State::kHung;
      // Until the client gives up (EOF) or the fleet stops. A client that half-closed before the
      // request was even read cannot be watched for leaving, so it gets the idle timeout.
      if (peer_done_) setDeadline(ls_.shared->limits.idle_timeout_ms);
      else deadline_ = 0;
      return;
    }
    out_ = std::move(prepared.bytes);
    out_off_ = 0;
    close_after_ = prepared.close_after;
    abort_after_ = prepared.abort_after;
    if (prepared.delay_ms > 0) {
      state_ = State::kDelayed;
      deadline_ = 0;
      delay_timer_ = ls_.loop.runAfter(prepared.delay_ms, [this] {
        delay_timer_ = 0;
        state_ = State::kWriting;
        setDeadline(ls_.shared->limits.write_timeout_ms);
        if (flush() && state_ == State::kReading) processRequests();
      });
      return;
    }
    state_ = State::kWriting;
    setDeadline(ls_.shared->limits.write_timeout_ms);
    if (!flush()) return;
  }
}

bool Connection::flush() {
  // Bounded by the buffer: every successful write makes progress.
  while (out_off_ < out_.size()) {
    size_t written = 0;
    switch (tls_.write(out_.data() + out_off_, out_.size() - out_off_, written)) {
      case TlsConnection::Io::kOk: out_off_ += written; break;
      case TlsConnection::Io::kWantWrite: want(EPOLLOUT); return false;
      case TlsConnection::Io::kWantRead: want(EPOLLIN); return false;
      default: close(); return false;
    }
  }
  responseWritten();
  return !closed_;
}

void Connection::responseWritten() {
  std::string().swap(out_);  // idle keep-alive connections hold no payload memory
  out_off_ = 0;
  ls_.shared->requests_served.fetch_add(1, std::memory_order_relaxed);
  if (close_after_ || peer_done_) {
    linger(!abort_after_);
    return;
  }
  state_ = State::kReading;
  want(EPOLLIN);
  setDeadline(in_.empty() ? ls_.shared->limits.idle_timeout_ms : ls_.shared->limits.request_timeout_ms);
}

}  // namespace kmetrics::sim
