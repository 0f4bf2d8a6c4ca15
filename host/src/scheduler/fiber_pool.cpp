#include "scheduler/fiber_pool.hpp"

#include "scheduler/thread_priority.hpp"

namespace kmetrics {

namespace {

FiberPool::Options normalized(FiberPool::Options o) {
  if (o.threads == 0) o.threads = 1;
  if (o.fibers_per_thread == 0) o.fibers_per_thread = 1;
  return o;
}

}  // namespace

FiberPool::FiberPool(Options options) : options_(normalized(options)), queue_(options.max_queued) {
  for (size_t i = 0; i < options_.threads; ++i) {
    loops_.push_back(std::make_unique<FiberLoop>(queue_, options_.fibers_per_thread, options_.stack_bytes));
  }
  for (auto& loop : loops_) {
    threads_.emplace_back([loop = loop.get(), nice = options_.nice] {
      if (nice != 0) set_current_thread_nice(nice);  // best effort: a refusal only costs latency
      loop->run();
    });
  }
}

FiberPool::~FiberPool() { stop(); }

bool FiberPool::submit(std::function<void()> task) {
  if (!queue_.push(std::move(task))) return false;
  for (auto& loop : loops_) loop->wake();  // writes only to a loop that sleeps
  return true;
}

void FiberPool::stop() {
  queue_.close();
  for (auto& loop : loops_) loop->request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace kmetrics
