#include "store/batch_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "store/push_sink_worker.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A batch tagged by the number of chunks it has, so tests can tell batches apart.
std::shared_ptr<const TickBatch> tagged(int tag) {
  auto b = std::make_shared<TickBatch>();
  for (int i = 0; i < tag; ++i) b->chunks.push_back(NodeChunkBuilder("n" + std::to_string(i)).finish());
  return b;
}
int tag_of(const std::shared_ptr<const TickBatch>& b) { return static_cast<int>(b->chunks.size()); }

TEST(BatchQueue, DropsOldestWhenFull) {
  BatchQueue q(2);
  EXPECT_EQ(q.push(tagged(1)), BatchQueue::PushResult::kQueued);
  EXPECT_EQ(q.push(tagged(2)), BatchQueue::PushResult::kQueued);
  EXPECT_EQ(q.push(tagged(3)), BatchQueue::PushResult::kQueuedDroppedOldest);
  EXPECT_EQ(q.dropped(), 1u);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(tag_of(q.pop(Clock::now())), 2);
  EXPECT_EQ(tag_of(q.pop(Clock::now())), 3);
  EXPECT_EQ(q.pop(Clock::now() + 10ms), nullptr);
}

TEST(BatchQueue, ClosedQueueRefusesPushButDrains) {
  BatchQueue q(4);
  q.push(tagged(1));
  q.close();
  EXPECT_EQ(q.push(tagged(2)), BatchQueue::PushResult::kClosed);
  EXPECT_EQ(tag_of(q.pop(Clock::now() + 1s)), 1);
  const auto start = Clock::now();
  EXPECT_EQ(q.pop(Clock::now() + 5s), nullptr);
  EXPECT_LT(Clock::now() - start, 4s) << "closed and empty must not wait for the deadline";
}

TEST(BatchQueue, ManyProducersLoseNothingUncounted) {
  BatchQueue q(8);
  std::atomic<int> popped{0};
  std::atomic<bool> producers_done{false};
  std::thread consumer([&] {
    while (true) {
      auto b = q.pop(Clock::now() + 20ms);
      if (b) {
        ++popped;
      } else if (producers_done && q.size() == 0) {
        break;
      }
    }
  });
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) q.push(tagged(0));
    });
  }
  for (auto& t : producers) t.join();
  producers_done = true;
  consumer.join();
  EXPECT_EQ(static_cast<uint64_t>(popped.load()) + q.dropped(), 4000u);
}

TEST(PushSinkWorker, DeliversInOrderAndDrainsOnShutdown) {
  std::vector<int> seen;
  PushSinkWorker w("test", 100, [&](const std::shared_ptr<const TickBatch>& b) {
    std::this_thread::sleep_for(1ms);
    seen.push_back(tag_of(b));
  });
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(w.enqueue(tagged(i)));
  EXPECT_TRUE(w.shutdown(Clock::now() + 10s));
  ASSERT_EQ(seen.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(seen[i], i + 1);
  EXPECT_EQ(w.delivered(), 20u);
  EXPECT_EQ(w.dropped(), 0u);
  EXPECT_FALSE(w.enqueue(tagged(1)));
  EXPECT_TRUE(w.shutdown(Clock::now())) << "idempotent";
}

TEST(PushSinkWorker, SlowSinkDropsOldestQueuedBatch) {
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<bool> in_callback{false};
  std::vector<int> seen;
  PushSinkWorker w("slow", 2, [&](const std::shared_ptr<const TickBatch>& b) {
    in_callback = true;
    open.wait();
    seen.push_back(tag_of(b));
  });
  w.enqueue(tagged(1));
  while (!in_callback) std::this_thread::yield();
  w.enqueue(tagged(2));
  w.enqueue(tagged(3));
  w.enqueue(tagged(4));  // queue holds 2: batch 2 is dropped
  EXPECT_EQ(w.dropped(), 1u);
  gate.set_value();
  EXPECT_TRUE(w.shutdown(Clock::now() + 10s));
  EXPECT_EQ(seen, (std::vector<int>{1, 3, 4}));
}

TEST(PushSinkWorker, DeadlineStopsDrainingAndCountsTheRest) {
  PushSinkWorker w("stuck", 100, [](const std::shared_ptr<const TickBatch>&) { std::this_thread::sleep_for(200ms); });
  for (int i = 0; i < 10; ++i) w.enqueue(tagged(i));
  const auto start = Clock::now();
  EXPECT_FALSE(w.shutdown(Clock::now() + 50ms));
  EXPECT_LT(Clock::now() - start, 2s) << "waits for the running callback only, not for all 10";
  EXPECT_LT(w.delivered(), 10u);
  EXPECT_EQ(w.delivered() + w.dropped(), 10u);
  EXPECT_EQ(w.queued(), 0u);
}

TEST(PushSinkWorker, ThrowingSinkIsCountedAndKeepsRunning) {
  std::atomic<int> calls{0};
  PushSinkWorker w("throws", 10, [&](const std::shared_ptr<const TickBatch>& b) {
    ++calls;
    if (tag_of(b) == 1) throw std::runtime_error("sink failed");
  });
  w.enqueue(tagged(1));
  w.enqueue(tagged(2));
  EXPECT_TRUE(w.shutdown(Clock::now() + 10s));
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(w.failed(), 1u);
  EXPECT_EQ(w.delivered(), 1u);
}

TEST(PushSinkWorker, DestructorWithoutShutdownReturns) {
  auto w = std::make_unique<PushSinkWorker>("idle", 4, [](const std::shared_ptr<const TickBatch>&) {});
  w.reset();
  SUCCEED();
}

}  // namespace
}  // namespace kmetrics
