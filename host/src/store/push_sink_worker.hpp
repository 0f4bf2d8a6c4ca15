// One consumer thread per push sink: takes batches from a BatchQueue and hands them to the sink's
// callback, one at a time, in order. A slow sink only fills (and drops from) its own queue; the
// tick that enqueues never waits for it.
//
// shutdown(deadline): refuses new batches, lets the worker deliver what is queued until the
// deadline, then discards the rest (counted as dropped) and joins. A callback already running is
// waited for: it must return (sinks get the same deadline through their own shutdown).
//
// Thread-safety: enqueue() and the counters from any thread; shutdown() from one thread (it is
// idempotent). The callback runs only on the worker thread. Exceptions thrown by the callback are
// caught and counted, never propagated.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/batch_queue.hpp"

namespace kmetrics {

class PushSinkWorker {
 public:
  using Consume = std::function<void(const std::shared_ptr<const TickBatch>&)>;

  PushSinkWorker(std::string name, size_t queue_capacity, Consume consume);
  ~PushSinkWorker();  // shutdown with an immediate deadline if not done yet
  PushSinkWorker(const PushSinkWorker&) = delete;
  PushSinkWorker& operator=(const PushSinkWorker&) = delete;

  // False when shut down. Never blocks on the sink.
  bool enqueue(std::shared_ptr<const TickBatch> batch);

  // True when every queued batch was delivered before the deadline.
  bool shutdown(std::chrono::steady_clock::time_point deadline);

  const std::string& name() const { return name_; }
  uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }  // callback threw
  uint64_t dropped() const { return queue_.dropped(); }
  size_t queued() const { return queue_.size(); }

 private:
  void run();

  const std::string name_;
  const Consume consume_;
  BatchQueue queue_;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failed_{0};
  std::atomic<bool> stop_now_{false};  // set at the deadline: stop without draining
  std::mutex shutdown_mutex_;
  bool shut_down_ = false;
  bool drained_ = true;
  std::mutex idle_mutex_;
  std::condition_variable idle_;  // signalled when the worker exits
  bool exited_ = false;
  std::thread thread_;
};

}  // namespace kmetrics
