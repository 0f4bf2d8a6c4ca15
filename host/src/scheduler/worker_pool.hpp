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

namespace kmetrics {

class WorkerPool {
 public:
  // `nice`: the workers' nice value (thread_priority.hpp); 0 leaves them as created.
  WorkerPool(size_t threads, size_t max_queued, int nice = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool stopped; the task is not run then.
  bool submit(std::function<void()> task);

  // Runs no new tasks; waits for running ones to return, then joins.
  void stop();

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
