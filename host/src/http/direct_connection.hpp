// One client connection on a non-blocking socket, TLS through OpenSSL directly on the descriptor or
// plain TCP. Every wait is one poll() bounded by the caller's deadline, so a request costs a write,
// a poll and the reads that carry its response: no socket options per read, no stream buffers, no
// per-connection buffer of its own (OpenSSL's are released while idle, SSL_MODE_RELEASE_BUFFERS).
//
// Errors throw IoFailure with the reason alone ("connection refused", "certificate verify failed:
// ..."); the request layer prefixes "GET <url>: ".
//
// Thread-safety: one thread at a time (the pool hands a connection to one request).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "http/deadline.hpp"
#include "http/http_error.hpp"

namespace kmetrics::http {

struct IoFailure {
  ErrorKind kind;
  std::string reason;
};

class DirectConnection {
 public:
  // Connects to host:port (an IP literal or a DNS name; every resolved address is tried in order)
  // and, when `tls` is given, completes the handshake, all before `deadline`. The peer's certificate
  // is verified by the context (SNI carries a DNS name; an IP is checked against the IP SANs).
  static std::unique_ptr<DirectConnection> open(const std::string& host, uint16_t port, SSL_CTX* tls,
                                                Clock::time_point deadline);
  ~DirectConnection();
  DirectConnection(const DirectConnection&) = delete;
  DirectConnection& operator=(const DirectConnection&) = delete;

  void write_all(std::string_view data, Clock::time_point deadline);
  // Waits for bytes and reads what is there, at most `cap`; 0 when the peer closed the connection.
  size_t read_some(char* buf, size_t cap, Clock::time_point deadline);
  // An idle HTTP/1.1 connection has nothing to read: readable means EOF, a TLS alert or junk.
  bool stale();
  // Frees OpenSSL's record buffers before the connection idles (~17 KiB: SSL_MODE_RELEASE_BUFFERS
  // alone leaves the read buffer allocated after a complete response); the next request
  // allocates them again.
  void idle();

 private:
  DirectConnection(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  void handshake(Clock::time_point deadline);
  // Waits until the descriptor is ready for `events` (POLLIN/POLLOUT); IoFailure timeout at the deadline.
  void wait(short events, Clock::time_point deadline) const;
  // Handles a failed SSL call: waits and returns true to retry, returns false at a clean end of
  // stream, throws otherwise.
  bool tls_retry_or_eof(int rc, Clock::time_point deadline, const char* during);

  int fd_;
  SSL* ssl_;             // null for plain HTTP
  bool broken_ = false;  // a fatal TLS error: no close_notify on close
  // Set by write_all: the answer cannot be there yet, so the next read waits before trying (a read
  // that would only return EAGAIN is one syscall per request saved).
  bool awaiting_response_ = false;
};

inline bool is_stale(DirectConnection& c) { return c.stale(); }

}  // namespace kmetrics::http
