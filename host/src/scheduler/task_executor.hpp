// What runs a tick's scrape tasks: a pool of threads (WorkerPool) or fibers on a few threads
// (FiberPool), chosen per source by what its plugin declares.
// THREADING: submit() from any thread; stop() once, from a thread that is not one of the executor's.
#pragma once

#include <functional>

namespace kmetrics {

class TaskExecutor {
 public:
  virtual ~TaskExecutor() = default;
  // False when the queue is full or the executor stopped; the task is not run then.
  virtual bool submit(std::function<void()> task) = 0;
  // Runs no new tasks; waits for running ones to return, then joins its threads.
  virtual void stop() = 0;
};

}  // namespace kmetrics
