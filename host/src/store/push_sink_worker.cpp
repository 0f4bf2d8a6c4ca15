#include "store/push_sink_worker.hpp"

namespace kmetrics {

PushSinkWorker::PushSinkWorker(std::string name, size_t queue_capacity, Consume consume)
    : name_(std::move(name)), consume_(std::move(consume)), queue_(queue_capacity) {
  thread_ = std::thread([this] { run(); });
}

PushSinkWorker::~PushSinkWorker() { shutdown(std::chrono::steady_clock::now()); }

bool PushSinkWorker::enqueue(std::shared_ptr<const TickBatch> batch) {
  return queue_.push(std::move(batch)) != BatchQueue::PushResult::kClosed;
}

void PushSinkWorker::run() {
  // Wake up now and then so a stop request is seen even when nothing is queued.
  constexpr auto kPollInterval = std::chrono::milliseconds(100);
  while (!stop_now_.load(std::memory_order_acquire)) {
    auto batch = queue_.pop(std::chrono::steady_clock::now() + kPollInterval);
    if (!batch) {
      if (queue_.closed() && queue_.size() == 0) break;  // drained
      continue;
    }
    try {
      consume_(batch);
      delivered_.fetch_add(1, std::memory_order_relaxed);
    } catch (...) {
      failed_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  {
    std::lock_guard lock(idle_mutex_);
    exited_ = true;
  }
  idle_.notify_all();
}

bool PushSinkWorker::shutdown(std::chrono::steady_clock::time_point deadline) {
  std::lock_guard guard(shutdown_mutex_);
  if (shut_down_) return drained_;
  shut_down_ = true;
  queue_.close();
  bool exited_in_time = false;
  {
    std::unique_lock lock(idle_mutex_);
    exited_in_time = idle_.wait_until(lock, deadline, [this] { return exited_; });
  }
  if (!exited_in_time) stop_now_.store(true, std::memory_order_release);
  thread_.join();  // waits only for a callback already in progress
  drained_ = queue_.discard_all() == 0 && exited_in_time;
  return drained_;
}

}  // namespace kmetrics
