// One thread of a FiberPool: up to `max_fibers` fibers take tasks from the shared queue and run them.
// A fiber that waits for a descriptor (IoWaiter::wait, reached through wait_for_fd) parks in this
// loop's epoll set and the thread runs another fiber, so a thread serves many kubelets at once
// without a context switch per request.
//
// Rules for tasks (the KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE contract): block only through
// wait_for_fd, hold no lock and no thread-local state across it, fit in the fiber stack.
//
// THREADING: run() on the loop's own thread; wake() and request_stop() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "scheduler/io_wait.hpp"
#include "scheduler/task_queue.hpp"

namespace kmetrics {

class FiberLoop final : public IoWaiter {
 public:
  using Clock = std::chrono::steady_clock;

  FiberLoop(TaskQueue& queue, size_t max_fibers, size_t stack_bytes);
  ~FiberLoop() override;
  FiberLoop(const FiberLoop&) = delete;
  FiberLoop& operator=(const FiberLoop&) = delete;

  // The thread body: returns once request_stop() was called and every fiber is idle.
  void run();
  // New tasks may be queued: interrupts a sleeping run().
  void wake();
  // Takes no new tasks; run() returns when the running ones finished.
  void request_stop();

  bool wait(int fd, short events, Clock::time_point deadline) override;

 private:
  struct Fiber;

  size_t assign_tasks();  // gives queued tasks to idle fibers (creating fibers up to the limit)
  void run_runnable();
  void poll_io(bool block);
  void make_runnable(Fiber* f, bool timed_out);
  void switch_to(Fiber* f);  // scheduler -> fiber; returns when it parks or ends
  void park(Fiber* f);       // fiber -> scheduler
  void fiber_main(Fiber* f);
  void end_fibers();

  TaskQueue& queue_;
  const size_t max_fibers_;
  const size_t stack_bytes_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> stop_{false};

  std::vector<std::unique_ptr<Fiber>> fibers_;
  std::vector<Fiber*> idle_;      // no task
  std::vector<Fiber*> runnable_;  // a new task, or its descriptor is ready
  std::vector<Fiber*> waiting_;   // parked in wait()
  size_t busy_ = 0;               // fibers with a task
  Fiber* current_ = nullptr;
  // The loop thread's own stack, as AddressSanitizer reported it when a fiber first started.
  const void* thread_stack_bottom_ = nullptr;
  size_t thread_stack_size_ = 0;
};

}  // namespace kmetrics
