// A bounded FIFO of tasks shared by the threads of a FiberPool. Consumers poll it (pop never
// blocks): a FiberLoop takes a task whenever one of its fibers is free.
// THREADING: every method from any thread.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace kmetrics {

class TaskQueue {
 public:
  explicit TaskQueue(size_t max_queued) : max_queued_(max_queued) {}

  // False when full or closed.
  bool push(std::function<void()> task) {
    std::lock_guard lock(mu_);
    if (closed_ || tasks_.size() >= max_queued_) return false;
    tasks_.push_back(std::move(task));
    return true;
  }
  bool pop(std::function<void()>& out) {
    std::lock_guard lock(mu_);
    if (tasks_.empty()) return false;
    out = std::move(tasks_.front());
    tasks_.pop_front();
    return true;
  }
  bool empty() const {
    std::lock_guard lock(mu_);
    return tasks_.empty();
  }
  // Refuses new tasks and drops the queued ones (destroyed after the lock is released).
  void close() {
    std::deque<std::function<void()>> dropped;
    std::lock_guard lock(mu_);
    closed_ = true;
    dropped.swap(tasks_);
  }

 private:
  mutable std::mutex mu_;
  std::deque<std::function<void()>> tasks_;
  const size_t max_queued_;
  bool closed_ = false;
};

}  // namespace kmetrics
