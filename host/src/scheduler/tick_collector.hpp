// Runs one tick's scrape tasks on executors (threads or fibers) and waits for them until a deadline.
// Tasks that finish after the deadline are discarded: their results never reach this tick, and the
// shared state they hold keeps them safe to finish late.
// THREADING: one TickCollector per tick; add() from the tick thread; the report callbacks from workers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "scheduler/task_executor.hpp"

namespace kmetrics {

template <class Result>
class TickCollector {
 public:
  using Clock = std::chrono::steady_clock;

  TickCollector() : state_(std::make_shared<State>()) {}

  // Schedules `task` on `executor`; its return value is kept if it finishes before wait()'s deadline.
  // Returns false if the executor refused it (queue full or stopping).
  bool add(TaskExecutor& executor, std::function<Result()> task) {
    {
      std::lock_guard lock(state_->mu);
      ++state_->pending;
    }
    auto state = state_;
    const bool queued = executor.submit([state, task = std::move(task)] {
      Result r = task();
      std::lock_guard lock(state->mu);
      if (!state->closed) {
        state->results.push_back(std::move(r));
      }
      // Only the last task wakes the waiter: a wake per task would cost the tick thread thousands
      // of context switches per tick at 5,000 nodes.
      if (--state->pending == 0) state->cv.notify_all();
    });
    if (!queued) {
      std::lock_guard lock(state_->mu);
      --state_->pending;
    }
    return queued;
  }

  // Waits until every task finished or `deadline` passed; returns the results in hand and closes
  // the tick. `late` is set to the number of tasks still running.
  std::vector<Result> wait(Clock::time_point deadline, size_t* late = nullptr) {
    std::unique_lock lock(state_->mu);
    state_->cv.wait_until(lock, deadline, [this] { return state_->pending == 0; });
    state_->closed = true;
    if (late != nullptr) {
      *late = state_->pending;
    }
    return std::move(state_->results);
  }

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    size_t pending = 0;
    bool closed = false;
    std::vector<Result> results;
  };

  std::shared_ptr<State> state_;
};

}  // namespace kmetrics
