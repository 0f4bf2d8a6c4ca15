#include "scheduler/worker_pool.hpp"

#include "scheduler/thread_priority.hpp"

namespace kmetrics {

WorkerPool::WorkerPool(size_t threads, size_t max_queued, int nice) : max_queued_(max_queued), nice_(nice) {
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    workers_.emplace_back([this] { run(); });
  }
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) {
      return false;
    }
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && queue_.empty()) {
      // Already stopped (or stopping); joining twice is harmless below.
    }
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
}

void WorkerPool::run() {
  if (nice_ != 0) set_current_thread_nice(nice_);  // best effort: a refusal only costs latency
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace kmetrics
