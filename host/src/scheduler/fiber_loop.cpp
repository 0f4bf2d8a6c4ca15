#include "scheduler/fiber_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <cerrno>
#include <exception>
#include <stdexcept>
#include <system_error>

#include <spdlog/spdlog.h>

#include "scheduler/sanitizer_fiber.hpp"

namespace kmetrics {

namespace ctx = boost::context;

struct FiberLoop::Fiber {
  ctx::fiber context;    // the suspended fiber, while the scheduler runs
  ctx::fiber scheduler;  // the suspended scheduler, while the fiber runs
  std::function<void()> task;
  bool exit = false;
  // While parked in wait():
  int fd = -1;
  Clock::time_point deadline;
  size_t waiting_index = 0;
  bool timed_out = false;
  // Its stack, for AddressSanitizer.
  const void* stack_bottom = nullptr;
  size_t stack_size = 0;
  void* fake_stack = nullptr;
};

namespace {

// A guard-paged stack that tells its fiber where it lives (AddressSanitizer needs the bounds).
class RecordingStack {
 public:
  RecordingStack(size_t bytes, const void** bottom, size_t* size) : inner_(bytes), bottom_(bottom), size_(size) {}
  ctx::stack_context allocate() {
    ctx::stack_context sc = inner_.allocate();
    *bottom_ = static_cast<const char*>(sc.sp) - sc.size;
    *size_ = sc.size;
    return sc;
  }
  void deallocate(ctx::stack_context& sc) noexcept { inner_.deallocate(sc); }

 private:
  ctx::protected_fixedsize_stack inner_;
  const void** bottom_;
  size_t* size_;
};

void run_task(std::function<void()>& task) {
  // Nothing may unwind out of a fiber; a task's own errors are its business, so this only logs.
  try {
    task();
  } catch (const std::exception& e) {
    spdlog::error("scrape task failed: {}", e.what());
  } catch (...) {
    spdlog::error("scrape task failed with a non-standard exception");
  }
}

}  // namespace

FiberLoop::FiberLoop(TaskQueue& queue, size_t max_fibers, size_t stack_bytes)
    : queue_(queue), max_fibers_(max_fibers == 0 ? 1 : max_fibers), stack_bytes_(stack_bytes) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    const int err = errno;
    ::close(epoll_fd_);
    throw std::system_error(err, std::generic_category(), "eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // null marks the wake-up descriptor
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  fibers_.reserve(max_fibers_);
}

FiberLoop::~FiberLoop() {
  fibers_.clear();  // normally empty: run() ends every fiber
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void FiberLoop::run() {
  for (;;) {  // ends when stopped and idle; every wait inside is bounded by a deadline or a wake-up
    const size_t assigned = assign_tasks();
    run_runnable();
    if (stop_.load() && busy_ == 0) break;
    poll_io(/*block=*/assigned == 0);
  }
  end_fibers();
}

void FiberLoop::wake() {
  if (sleeping_.load()) {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
}

void FiberLoop::request_stop() {
  stop_.store(true);
  wake();
}

size_t FiberLoop::assign_tasks() {
  if (stop_.load()) return 0;
  size_t assigned = 0;
  for (;;) {  // bounded by the fiber limit
    if (idle_.empty()) {
      if (fibers_.size() >= max_fibers_ || queue_.empty()) break;
      auto f = std::make_unique<Fiber>();
      Fiber* raw = f.get();
      raw->context = ctx::fiber(std::allocator_arg, RecordingStack(stack_bytes_, &raw->stack_bottom, &raw->stack_size),
                                [this, raw](ctx::fiber&& scheduler) {
                                  raw->scheduler = std::move(scheduler);
                                  fiber_main(raw);
                                  return std::move(raw->scheduler);
                                });
      fibers_.push_back(std::move(f));
      idle_.push_back(raw);
    }
    std::function<void()> task;
    if (!queue_.pop(task)) break;
    Fiber* f = idle_.back();
    idle_.pop_back();
    f->task = std::move(task);
    ++busy_;
    runnable_.push_back(f);
    ++assigned;
  }
  return assigned;
}

void FiberLoop::run_runnable() {
  // Running fibers never add to runnable_: only the scheduler does (assign_tasks, poll_io).
  for (Fiber* f : runnable_) switch_to(f);
  runnable_.clear();
}

void FiberLoop::poll_io(bool block) {
  int timeout_ms = 0;
  if (block) {
    // Announce the sleep before the last look at the queue and the stop flag: a submit or stop that
    // lands after this look sees sleeping_ and writes the wake-up descriptor.
    sleeping_.store(true);
    const bool can_take = !idle_.empty() || fibers_.size() < max_fibers_;
    if (stop_.load() || (can_take && !queue_.empty())) {
      timeout_ms = 0;
    } else if (waiting_.empty()) {
      timeout_ms = -1;
    } else {
      Clock::time_point next = waiting_.front()->deadline;
      for (const Fiber* f : waiting_) next = std::min(next, f->deadline);
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(next - Clock::now()).count();
      timeout_ms = static_cast<int>(std::clamp<int64_t>(left, 0, 1 << 30));
    }
  }
  epoll_event events[64];
  const int n = ::epoll_wait(epoll_fd_, events, 64, timeout_ms);
  sleeping_.store(false);
  for (int i = 0; i < n; ++i) {
    if (events[i].data.ptr == nullptr) {
      uint64_t count = 0;
      [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof count);
    } else {
      make_runnable(static_cast<Fiber*>(events[i].data.ptr), false);
    }
  }
  if (waiting_.empty()) return;
  const Clock::time_point now = Clock::now();
  for (size_t i = 0; i < waiting_.size();) {  // make_runnable swaps the last waiter into slot i
    if (waiting_[i]->deadline <= now) {
      make_runnable(waiting_[i], true);
    } else {
      ++i;
    }
  }
}

void FiberLoop::make_runnable(Fiber* f, bool timed_out) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, f->fd, nullptr);
  f->fd = -1;
  f->timed_out = timed_out;
  Fiber* last = waiting_.back();
  waiting_[f->waiting_index] = last;
  last->waiting_index = f->waiting_index;
  waiting_.pop_back();
  runnable_.push_back(f);
}

bool FiberLoop::wait(int fd, short events, Clock::time_point deadline) {
  Fiber* f = current_;
  if (f == nullptr) throw std::logic_error("FiberLoop::wait outside a fiber");
  if (Clock::now() >= deadline) return false;
  epoll_event ev{};
  ev.events = ((events & POLLIN) != 0 ? EPOLLIN : 0u) | ((events & POLLOUT) != 0 ? EPOLLOUT : 0u);
  ev.data.ptr = f;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    // A descriptor epoll cannot watch: wait the plain way (this blocks the loop's other fibers).
    t_io_waiter = nullptr;
    const bool ready = wait_for_fd(fd, events, deadline);
    t_io_waiter = this;
    return ready;
  }
  f->fd = fd;
  f->deadline = deadline;
  f->timed_out = false;
  f->waiting_index = waiting_.size();
  waiting_.push_back(f);
  park(f);
  return !f->timed_out;
}

void FiberLoop::switch_to(Fiber* f) {
  current_ = f;
  t_io_waiter = this;
  void* fake_stack = nullptr;
  sanitizer::start_switch_fiber(&fake_stack, f->stack_bottom, f->stack_size);
  f->context = std::move(f->context).resume();
  sanitizer::finish_switch_fiber(fake_stack, nullptr, nullptr);
  t_io_waiter = nullptr;
  current_ = nullptr;
}

void FiberLoop::park(Fiber* f) {
  sanitizer::start_switch_fiber(&f->fake_stack, thread_stack_bottom_, thread_stack_size_);
  f->scheduler = std::move(f->scheduler).resume();
  sanitizer::finish_switch_fiber(f->fake_stack, &thread_stack_bottom_, &thread_stack_size_);
}

void FiberLoop::fiber_main(Fiber* f) {
  sanitizer::finish_switch_fiber(nullptr, &thread_stack_bottom_, &thread_stack_size_);
  while (!f->exit) {  // one task per round; parks in between until given the next or told to exit
    if (f->task) {
      run_task(f->task);
      f->task = nullptr;
      --busy_;
      idle_.push_back(f);
    }
    park(f);
  }
  sanitizer::start_switch_fiber(nullptr, thread_stack_bottom_, thread_stack_size_);  // this fiber ends
}

void FiberLoop::end_fibers() {
  for (auto& f : fibers_) {
    f->exit = true;
    switch_to(f.get());  // returns from fiber_main; its stack is freed
  }
  fibers_.clear();
  idle_.clear();
}

}  // namespace kmetrics
