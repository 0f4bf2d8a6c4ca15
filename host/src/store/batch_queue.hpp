// Bounded queue of batches for one push sink: many producers, one consumer. When full, push()
// drops the oldest queued batch (a sink that falls behind gets the newest data, not stale data) and
// counts the drop. close() stops producers; the consumer then drains what is left.
//
// Thread-safety: every method is safe from any thread. pop() is meant for a single consumer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "model/tick_batch.hpp"

namespace kmetrics {

class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity);  // capacity 0 is treated as 1

  enum class PushResult { kQueued, kQueuedDroppedOldest, kClosed };
  PushResult push(std::shared_ptr<const TickBatch> batch);

  // Waits until a batch is available, the queue is closed and empty (returns null), or `deadline`
  // passes (returns null).
  std::shared_ptr<const TickBatch> pop(std::chrono::steady_clock::time_point deadline);

  void close();
  bool closed() const;
  // Removes whatever is queued, counting it as dropped; returns how many.
  size_t discard_all();

  size_t size() const;
  size_t capacity() const { return capacity_; }
  uint64_t dropped() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::deque<std::shared_ptr<const TickBatch>> items_;
  uint64_t dropped_ = 0;
  bool closed_ = false;
};

}  // namespace kmetrics
