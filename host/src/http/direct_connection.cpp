#include "http/direct_connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <vector>

#include <openssl/err.h>

#include "http/background_lookup.hpp"
#include "http/tls_context.hpp"
#include "scheduler/io_wait.hpp"

namespace kmetrics::http {

namespace {

std::string errno_reason(int err) {
  switch (err) {
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET: return "connection reset by peer";
    case EPIPE: return "connection closed by peer (broken pipe)";
    default: break;
  }
  std::string msg = std::strerror(err);
  if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  return msg;
}

ErrorKind errno_kind(int err) {
  switch (err) {
    case ECONNREFUSED:
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EADDRNOTAVAIL: return ErrorKind::connect;
    default: return ErrorKind::io;
  }
}

std::string openssl_reason() {
  unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (e == 0) return "unknown TLS failure";
  const char* reason = ERR_reason_error_string(e);
  if (reason != nullptr) return reason;
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

struct Address {
  sockaddr_storage storage{};
  socklen_t len = 0;
};

// IP literals are converted in place; names go through the resolver, off the thread when it is a
// scrape fiber's (background_lookup.hpp).
std::vector<Address> resolve(const std::string& host, uint16_t port, Clock::time_point deadline) {
  std::vector<Address> out;
  Address a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.len = sizeof(sockaddr_in);
    out.push_back(a);
    return out;
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.len = sizeof(sockaddr_in6);
    out.push_back(a);
    return out;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  std::optional<LookupResult> found = lookup_until(host, std::to_string(port), hints, deadline);
  if (!found) throw IoFailure{ErrorKind::timeout, ""};
  const int rc = found->rc;
  if (rc != 0) {
    if (rc == EAI_NONAME || rc == EAI_NODATA) throw IoFailure{ErrorKind::connect, "no such host: " + host};
    throw IoFailure{ErrorKind::connect, "cannot resolve " + host + ": " + gai_strerror(rc)};
  }
  for (addrinfo* ai = found->list.get(); ai != nullptr && out.size() < 16; ai = ai->ai_next) {
    Address r;
    std::memcpy(&r.storage, ai->ai_addr, ai->ai_addrlen);
    r.len = ai->ai_addrlen;
    out.push_back(r);
  }
  if (out.empty()) throw IoFailure{ErrorKind::connect, "no address for host: " + host};
  return out;
}

// A connected non-blocking socket, or IoFailure.
int connect_one(const Address& a, Clock::time_point deadline) {
  int fd = ::socket(a.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw IoFailure{ErrorKind::io, "socket: " + errno_reason(errno)};
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // requests are one write each
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a.storage), a.len) == 0) return fd;
  int err = errno;
  if (err == EINPROGRESS) {
    bool ready = false;
    try {
      ready = wait_for_fd(fd, POLLOUT, deadline);
    } catch (const std::system_error& e) {
      ::close(fd);
      throw IoFailure{ErrorKind::io, std::string("poll: ") + errno_reason(e.code().value())};
    }
    if (!ready) {
      ::close(fd);
      throw IoFailure{ErrorKind::timeout, ""};
    }
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) return fd;
  }
  ::close(fd);
  throw IoFailure{errno_kind(err), errno_reason(err)};
}

}  // namespace

std::unique_ptr<DirectConnection> DirectConnection::open(const std::string& host, uint16_t port, SSL_CTX* tls,
                                                         Clock::time_point deadline) {
  int fd = -1;
  IoFailure last{ErrorKind::connect, "no address for host: " + host};
  for (const Address& a : resolve(host, port, deadline)) {
    try {
      fd = connect_one(a, deadline);
      break;
    } catch (const IoFailure& f) {
      last = f;
      if (f.kind == ErrorKind::timeout) break;
    }
  }
  if (fd < 0) throw last;
  SSL* ssl = nullptr;
  if (tls != nullptr) {
    ssl = SSL_new(tls);
    if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
      if (ssl != nullptr) SSL_free(ssl);
      ::close(fd);
      throw IoFailure{ErrorKind::tls, "TLS error: " + openssl_reason()};
    }
    // Fewer reads: take whole records, and whatever else is there, per read() call.
    SSL_set_read_ahead(ssl, 1);
    if (!is_ip_literal(host.c_str())) SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set_connect_state(ssl);
  }
  std::unique_ptr<DirectConnection> conn(new DirectConnection(fd, ssl));
  if (ssl != nullptr) conn->handshake(deadline);
  return conn;
}

DirectConnection::~DirectConnection() {
  if (ssl_ != nullptr) {
    // A polite close_notify when the session is healthy; never waits (the socket is non-blocking).
    if (!broken_ && SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
    SSL_free(ssl_);
    ERR_clear_error();
  }
  ::close(fd_);
}

void DirectConnection::wait(short events, Clock::time_point deadline) const {
  bool ready = false;
  try {
    ready = wait_for_fd(fd_, events, deadline);  // in a scrape fiber: parks it, the thread runs others
  } catch (const std::system_error& e) {
    throw IoFailure{ErrorKind::io, std::string("poll: ") + errno_reason(e.code().value())};
  }
  if (!ready) throw IoFailure{ErrorKind::timeout, ""};
}

bool DirectConnection::tls_retry_or_eof(int rc, Clock::time_point deadline, const char* during) {
  const int saved_errno = errno;
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ: wait(POLLIN, deadline); return true;
    case SSL_ERROR_WANT_WRITE: wait(POLLOUT, deadline); return true;
    case SSL_ERROR_ZERO_RETURN: return false;
    case SSL_ERROR_SYSCALL:
      broken_ = true;
      if (ERR_peek_error() == 0 && saved_errno == 0) return false;  // EOF without close_notify
      if (saved_errno != 0 && ERR_peek_error() == 0) throw IoFailure{errno_kind(saved_errno), errno_reason(saved_errno)};
      throw IoFailure{ErrorKind::tls, std::string("TLS error ") + during + ": " + openssl_reason()};
    default: {
      broken_ = true;
      if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        ERR_clear_error();
        return false;
      }
      if (!last_verify_error().empty()) {
        ERR_clear_error();
        throw IoFailure{ErrorKind::tls, "certificate verify failed: " + last_verify_error()};
      }
      throw IoFailure{ErrorKind::tls, std::string("TLS error ") + during + ": " + openssl_reason()};
    }
  }
}

void DirectConnection::handshake(Clock::time_point deadline) {
  for (;;) {  // bounded by the deadline: every retry waits in poll
    // Per step, not per handshake: the verify error is per thread, and a fiber's wait lets other
    // handshakes run on this thread in between.
    clear_last_verify_error();
    ERR_clear_error();
    errno = 0;
    int rc = SSL_do_handshake(ssl_);
    if (rc == 1) return;
    if (!tls_retry_or_eof(rc, deadline, "during the handshake")) {
      broken_ = true;
      throw IoFailure{ErrorKind::tls, "connection closed during the TLS handshake"};
    }
  }
}

void DirectConnection::write_all(std::string_view data, Clock::time_point deadline) {
  awaiting_response_ = true;
  size_t done = 0;
  while (done < data.size()) {  // bounded by the deadline
    if (ssl_ != nullptr) {
      ERR_clear_error();
      errno = 0;
      size_t n = 0;
      int rc = SSL_write_ex(ssl_, data.data() + done, data.size() - done, &n);
      if (rc == 1) {
        done += n;
      } else if (!tls_retry_or_eof(rc, deadline, "while sending")) {
        throw IoFailure{ErrorKind::io, "connection closed by peer"};
      }
      continue;
    }
    ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += static_cast<size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait(POLLOUT, deadline);
    } else if (errno != EINTR) {
      throw IoFailure{errno_kind(errno), errno_reason(errno)};
    }
  }
}

size_t DirectConnection::read_some(char* buf, size_t cap, Clock::time_point deadline) {
  if (awaiting_response_) {
    awaiting_response_ = false;
    if (ssl_ == nullptr || !SSL_has_pending(ssl_)) wait(POLLIN, deadline);
  }
  for (;;) {  // bounded by the deadline
    if (ssl_ != nullptr) {
      ERR_clear_error();
      errno = 0;
      size_t n = 0;
      int rc = SSL_read_ex(ssl_, buf, cap, &n);
      if (rc == 1) return n;
      if (!tls_retry_or_eof(rc, deadline, "while receiving")) return 0;
      continue;
    }
    ssize_t n = ::recv(fd_, buf, cap, 0);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait(POLLIN, deadline);
    } else if (errno != EINTR) {
      throw IoFailure{errno_kind(errno), errno_reason(errno)};
    }
  }
}

void DirectConnection::idle() {
  if (ssl_ != nullptr) SSL_free_buffers(ssl_);  // refuses (harmlessly) while data is buffered
}

bool DirectConnection::stale() {
  if (broken_) return true;
  if (ssl_ != nullptr && SSL_has_pending(ssl_)) return true;  // bytes after the last response
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

}  // namespace kmetrics::http
