// A fixed set of threads running submitted tasks in FIFO order, with a bounded queue.
// Per-node scrapes run here so that a tick's concurrency is bounded however many nodes there are.
// THREADING: submit() from any thread; stop() once, from any thread but a worker.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "scheduler/task_executor.hpp"

namespace kmetrics {

class WorkerPool final : public TaskExecutor {
 public:
  // `nice`: the workers' nice value (thread_priority.hpp); 0 leaves them as created.
  WorkerPool(size_t threads, size_t max_queued, int nice = 0);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

    bool submit(std::function<void()> task) override;

  void stop() override;

  size_t threads() const { return workers_.size(); }

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  size_t max_queued_;
  int nice_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace kmetrics
