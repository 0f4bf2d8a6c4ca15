// A single-threaded epoll loop: fd readiness, one-shot timers and cross-thread tasks.
// Everything registered on a loop is touched only by the loop's own thread, except post() and
// stop(), which any thread may call. Level-triggered; handlers drain what they can per event.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace kmetrics::sim {

class IoHandler {
 public:
  virtual ~IoHandler() = default;
  // `events` is the epoll mask. A handler that closes itself calls EventLoop::retire(this).
  virtual void onEvents(uint32_t events) = 0;
};

class EventLoop {
 public:
  using Clock = int64_t;  // steady nanoseconds
  using TimerId = uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs until stop(). Call from the thread that owns the loop.
  void run();
  void stop();
  // Queues `task` to run on the loop thread (thread-safe); wakes the loop.
  void post(std::function<void()> task);

  // fd registration (loop thread only). The loop does not own fds or handlers.
  bool add(int fd, uint32_t events, IoHandler* h);
  bool modify(int fd, uint32_t events, IoHandler* h);
  void remove(int fd);
  // Takes ownership of a handler that has closed; it is destroyed after the current batch of
  // events, so a later event in the same batch still finds a live (closed) object.
  void retire(std::unique_ptr<IoHandler> h);

  // One-shot timer after `delay_ms` (loop thread only). cancel() of a fired id is a no-op.
  TimerId runAfter(int64_t delay_ms, std::function<void()> fn);
  void cancel(TimerId id);

  static Clock now();
  // CPU seconds consumed by the loop's thread (valid while the thread runs, or after run() ends).
  double threadCpuSeconds() const;

 private:
  void runTasks();
  int nextTimeoutMs() const;
  void runTimers();
  void sampleCpu();

  int epfd_ = -1;
  int wakefd_ = -1;
  std::atomic<bool> stopping_{false};
  std::mutex tasks_mu_;
  std::vector<std::function<void()>> tasks_;
  std::multimap<Clock, TimerId> timers_;
  std::unordered_map<TimerId, std::pair<std::multimap<Clock, TimerId>::iterator, std::function<void()>>> timer_fns_;
  TimerId next_timer_ = 1;
  std::vector<std::unique_ptr<IoHandler>> graveyard_;
  std::atomic<int64_t> cpu_nanos_{0};  // sampled by the loop thread itself
};

}  // namespace kmetrics::sim
