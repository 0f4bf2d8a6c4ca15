// Lets one thread promptly abort another thread's blocking read on a response stream: interrupt()
// shuts the socket down (shutdown(2) wakes a blocked recv), so stop() never waits for a watch's
// server-side timeout. The fd is registered and unregistered under a small mutex, so a shutdown never
// hits a descriptor number that was already closed and reused.
//
// Thread-safety: interrupt() and interrupted() from any thread; attach/detach from the thread that
// owns the stream. One stream at a time per Interrupter.
#pragma once

#include <atomic>
#include <mutex>

namespace kmetrics::http {

class Interrupter {
 public:
  // Idempotent. Every later attach() fails, so a request that is just connecting stops too.
  void interrupt();
  bool interrupted() const { return interrupted_.load(std::memory_order_acquire); }

  // Registers the socket of the current stream; false (and nothing registered) when already
  // interrupted.
  bool attach(int fd);
  void detach();

 private:
  std::mutex mu_;
  int fd_ = -1;
  std::atomic<bool> interrupted_{false};
};

}  // namespace kmetrics::http
