// The client certificate chain each TLS connection presented, captured at handshake time.
// Poco exposes only the leaf of a SecureStreamSocket, not the chain nor the SSL*, so the TLS
// context's info callback records the chain keyed by socket fd: cleared when a handshake starts on
// that fd and set when it completes. A request can only be read after its connection's handshake,
// so the entry for its fd always belongs to its own connection.
// THREADING: thread-safe. Bounded by the number of open file descriptors.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "serving/x509_util.hpp"

namespace kmetrics {

struct PeerChain {
  X509Ptr leaf;                       // null when the client sent no certificate
  std::vector<X509Ptr> intermediates;  // what the client sent after its leaf
};

class PeerCertRegistry {
 public:
  void handshake_started(int fd);
  void handshake_done(const SSL* ssl);
  // Copies (up-refs) the chain recorded for `fd`; an empty chain when there is none.
  PeerChain lookup(int fd) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<int, std::shared_ptr<const PeerChain>> by_fd_;
};

}  // namespace kmetrics
