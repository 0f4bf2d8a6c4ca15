#include "store/batch_queue.hpp"

namespace kmetrics {

BatchQueue::BatchQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

BatchQueue::PushResult BatchQueue::push(std::shared_ptr<const TickBatch> batch) {
  std::shared_ptr<const TickBatch> evicted;  // released outside the lock: freeing a batch can be slow
  PushResult result = PushResult::kQueued;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return PushResult::kClosed;
    if (items_.size() >= capacity_) {
      evicted = std::move(items_.front());
      items_.pop_front();
      ++dropped_;
      result = PushResult::kQueuedDroppedOldest;
    }
    items_.push_back(std::move(batch));
  }
  available_.notify_one();
  return result;
}

std::shared_ptr<const TickBatch> BatchQueue::pop(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  available_.wait_until(lock, deadline, [this] { return !items_.empty() || closed_; });
  if (items_.empty()) return nullptr;
  auto batch = std::move(items_.front());
  items_.pop_front();
  return batch;
}

void BatchQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  available_.notify_all();
}

bool BatchQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

size_t BatchQueue::discard_all() {
  std::deque<std::shared_ptr<const TickBatch>> discarded;
  {
    std::lock_guard lock(mutex_);
    discarded.swap(items_);
    dropped_ += discarded.size();
  }
  return discarded.size();
}

size_t BatchQueue::size() const {
  std::lock_guard lock(mutex_);
  return items_.size();
}

uint64_t BatchQueue::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace kmetrics
