#include "kubelet/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <stdexcept>

namespace kmetrics::sim {
namespace {

constexpr int kMaxEvents = 256;
// The loop wakes at least this often, so a stop() or a sweep never waits longer.
constexpr int kMaxWaitMs = 250;

// Tag for the wakeup eventfd in epoll data (handlers are real pointers, never this value).
IoHandler* const kWakeTag = nullptr;

}  // namespace

EventLoop::EventLoop() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  wakefd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epfd_ < 0 || wakefd_ < 0) throw std::runtime_error("event loop: epoll/eventfd failed");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = kWakeTag;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev);
}

EventLoop::~EventLoop() {
  graveyard_.clear();
  if (wakefd_ >= 0) ::close(wakefd_);
  if (epfd_ >= 0) ::close(epfd_);
}

EventLoop::Clock EventLoop::now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<Clock>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void EventLoop::post(std::function<void()> task) {
  {
    std::lock_guard lock(tasks_mu_);
    tasks_.push_back(std::move(task));
  }
  const uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wakefd_, &one, sizeof one);
}

void EventLoop::stop() {
  stopping_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wakefd_, &one, sizeof one);
}

bool EventLoop::add(int fd, uint32_t events, IoHandler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  return epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool EventLoop::modify(int fd, uint32_t events, IoHandler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  return epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void EventLoop::remove(int fd) { epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::retire(std::unique_ptr<IoHandler> h) { graveyard_.push_back(std::move(h)); }

EventLoop::TimerId EventLoop::runAfter(int64_t delay_ms, std::function<void()> fn) {
  const TimerId id = next_timer_++;
  auto it = timers_.emplace(now() + delay_ms * 1'000'000, id);
  timer_fns_.emplace(id, std::make_pair(it, std::move(fn)));
  return id;
}

void EventLoop::cancel(TimerId id) {
  auto it = timer_fns_.find(id);
  if (it == timer_fns_.end()) return;
  timers_.erase(it->second.first);
  timer_fns_.erase(it);
}

int EventLoop::nextTimeoutMs() const {
  if (timers_.empty()) return kMaxWaitMs;
  const Clock delta = timers_.begin()->first - now();
  if (delta <= 0) return 0;
  const int64_t ms = (delta + 999'999) / 1'000'000;
  return ms < kMaxWaitMs ? static_cast<int>(ms) : kMaxWaitMs;
}

void EventLoop::runTimers() {
  const Clock t = now();
  // Bounded: only timers due now; timers added by callbacks wait for the next turn.
  std::vector<std::function<void()>> due;
  while (!timers_.empty() && timers_.begin()->first <= t) {
    const TimerId id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    auto it = timer_fns_.find(id);
    if (it != timer_fns_.end()) {
      due.push_back(std::move(it->second.second));
      timer_fns_.erase(it);
    }
  }
  for (auto& fn : due) fn();
}

void EventLoop::runTasks() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(tasks_mu_);
    tasks.swap(tasks_);
  }
  for (auto& t : tasks) t();
}

void EventLoop::sampleCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  cpu_nanos_ = static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double EventLoop::threadCpuSeconds() const { return static_cast<double>(cpu_nanos_.load()) / 1e9; }

void EventLoop::run() {
  epoll_event events[kMaxEvents];
  while (!stopping_) {
    const int n = epoll_wait(epfd_, events, kMaxEvents, nextTimeoutMs());
    for (int i = 0; i < n; ++i) {
      auto* h = static_cast<IoHandler*>(events[i].data.ptr);
      if (h == kWakeTag) {
        uint64_t v;
        [[maybe_unused]] auto r = ::read(wakefd_, &v, sizeof v);
        continue;
      }
      h->onEvents(events[i].events);
    }
    runTasks();
    runTimers();
    graveyard_.clear();
    sampleCpu();
  }
  runTasks();  // let shutdown tasks (closing listeners) run
  graveyard_.clear();
  sampleCpu();
}

}  // namespace kmetrics::sim
