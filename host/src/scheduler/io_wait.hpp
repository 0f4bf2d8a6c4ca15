// How blocking I/O waits for a descriptor. A plain thread polls; a FiberPool thread sets an IoWaiter
// that parks the running fiber until the descriptor is ready, so one thread serves many scrapes.
// Header-only: the HTTP client uses it without depending on the scheduler library.
#pragma once

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <system_error>

namespace kmetrics {

class IoWaiter {
 public:
  virtual ~IoWaiter() = default;
  // Parks the calling fiber until `fd` is ready for `events` (POLLIN/POLLOUT; errors and hang-ups
  // count as ready) or `deadline` passes; false at the deadline.
  virtual bool wait(int fd, short events, std::chrono::steady_clock::time_point deadline) = 0;
};

// Set by the fiber scheduler on its own threads while a fiber runs; null everywhere else.
inline thread_local IoWaiter* t_io_waiter = nullptr;

// Waits until `fd` is ready for `events`: false at `deadline`. Throws std::system_error if poll fails.
inline bool wait_for_fd(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  if (IoWaiter* w = t_io_waiter) return w->wait(fd, events, deadline);
  for (;;) {  // bounded by the deadline
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1 << 30)));
    if (rc > 0) return true;  // ready, or an error/hang-up the next call reports
    if (rc < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
  }
}

}  // namespace kmetrics
