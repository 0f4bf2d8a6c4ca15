#include "scheduler/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace kmetrics {
namespace {
// PRIO_PROCESS with a thread id addresses that one thread on Linux.
id_t current_tid() { return static_cast<id_t>(::syscall(SYS_gettid)); }
}  // namespace

bool set_current_thread_nice(int nice) { return ::setpriority(PRIO_PROCESS, current_tid(), nice) == 0; }

int current_thread_nice() {
  errno = 0;
  return ::getpriority(PRIO_PROCESS, current_tid());
}

}  // namespace kmetrics
