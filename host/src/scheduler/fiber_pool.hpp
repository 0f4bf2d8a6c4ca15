// Scrape tasks as fibers: a few threads (one per core by default), each running many fibers, that
// wait for kubelets in epoll instead of sleeping in a thread each. At 5,000 nodes this replaces
// ~10,000 thread sleeps and wake-ups per tick with a few hundred epoll_wait calls.
//
// Only for tasks that keep the FiberLoop rules (fiber_loop.hpp); the host uses it for sources that
// declare KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE and a WorkerPool for every other.
// THREADING: submit() from any thread; stop() once, from a thread that is not one of the pool's.
#pragma once

#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "scheduler/fiber_loop.hpp"
#include "scheduler/task_executor.hpp"
#include "scheduler/task_queue.hpp"

namespace kmetrics {

class FiberPool final : public TaskExecutor {
 public:
  struct Options {
    size_t threads = 2;
    size_t fibers_per_thread = 32;
    size_t max_queued = 1'000'000;
    int nice = 0;                      // the threads' nice value (thread_priority.hpp); 0 leaves it
    size_t stack_bytes = 256 * 1024;   // per fiber, plus a guard page
  };

  explicit FiberPool(Options options);
  ~FiberPool() override;
  FiberPool(const FiberPool&) = delete;
  FiberPool& operator=(const FiberPool&) = delete;

  bool submit(std::function<void()> task) override;
  void stop() override;

  // How many tasks may run at once.
  size_t concurrency() const { return options_.threads * options_.fibers_per_thread; }
  size_t threads() const { return options_.threads; }

 private:
  const Options options_;
  TaskQueue queue_;
  std::vector<std::unique_ptr<FiberLoop>> loops_;
  std::vector<std::thread> threads_;
};

}  // namespace kmetrics
