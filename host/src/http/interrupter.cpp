#include "http/interrupter.hpp"

#include <sys/socket.h>

namespace kmetrics::http {

void Interrupter::interrupt() {
  std::lock_guard lock(mu_);
  interrupted_.store(true, std::memory_order_release);
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);  // non-blocking; the reader sees EOF or an error
}

bool Interrupter::attach(int fd) {
  std::lock_guard lock(mu_);
  if (interrupted_.load(std::memory_order_acquire)) return false;
  fd_ = fd;
  return true;
}

void Interrupter::detach() {
  std::lock_guard lock(mu_);
  fd_ = -1;
}

}  // namespace kmetrics::http
