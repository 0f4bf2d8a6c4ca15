#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "scheduler/tick_collector.hpp"
#include "scheduler/thread_priority.hpp"
#include "scheduler/ticker.hpp"
#include "scheduler/worker_pool.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, RunsEveryTaskAndRefusesBeyondQueueBound) {
  WorkerPool pool(2, 3);
  std::atomic<int> ran{0};
  std::atomic<bool> release{false};
  // Two blockers occupy both workers; then exactly 3 queue, the 4th is refused.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(pool.submit([&] {
      while (!release) std::this_thread::sleep_for(1ms);
      ++ran;
    }));
  }
  std::this_thread::sleep_for(50ms);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(pool.submit([&] { ++ran; }));
  }
  EXPECT_FALSE(pool.submit([&] { ++ran; }));
  release = true;
  for (int i = 0; i < 200 && ran < 5; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ran.load(), 5);
  pool.stop();
  EXPECT_FALSE(pool.submit([] {}));
}

TEST(WorkerPool, WorkersRunAtTheirNiceValueWithoutChangingTheCaller) {
  const int caller = current_thread_nice();
  const int wanted = caller < 19 ? caller + 1 : 19;  // 19 is the lowest priority there is
  WorkerPool pool(2, 10, wanted);
  std::atomic<int> seen{-100};
  ASSERT_TRUE(pool.submit([&] { seen = current_thread_nice(); }));
  for (int i = 0; i < 500 && seen.load() == -100; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  pool.stop();
  EXPECT_EQ(seen.load(), wanted);
  EXPECT_EQ(current_thread_nice(), caller);
}

TEST(TickCollector, KeepsResultsBeforeDeadlineAndDropsLateOnes) {
  WorkerPool pool(4, 100);
  TickCollector<int> tick;
  tick.add(pool, [] { return 1; });
  tick.add(pool, [] { return 2; });
  tick.add(pool, [] {
    std::this_thread::sleep_for(1500ms);  // a hung kubelet
    return 3;
  });
  size_t late = 0;
  const auto start = std::chrono::steady_clock::now();
  auto results = tick.wait(start + 150ms, &late);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1200ms) << "wait must return at the deadline";
  std::sort(results.begin(), results.end());
  EXPECT_EQ(results, (std::vector<int>{1, 2}));
  EXPECT_EQ(late, 1u);
  pool.stop();  // the late task finishes safely against the shared state
}

TEST(Ticker, FirstTickImmediateThenPeriodicAndStopJoins) {
  std::atomic<int> ticks{0};
  {
    Ticker slow(5s, [&](auto) { ++ticks; });
    const auto start = std::chrono::steady_clock::now();
    slow.start();
    for (int i = 0; i < 2000 && ticks == 0; ++i) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(ticks.load(), 1);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms) << "first tick must not wait a period";
    slow.stop();  // must not wait out the 5s period
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  }
  ticks = 0;
  Ticker t(50ms, [&](auto) { ++ticks; });
  t.start();
  for (int i = 0; i < 400 && ticks < 3; ++i) std::this_thread::sleep_for(5ms);
  t.stop();
  const int after_stop = ticks;
  EXPECT_GE(after_stop, 3);
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(ticks.load(), after_stop);
  EXPECT_NE(t.lastTickStart().time_since_epoch().count(), 0);
}

TEST(Ticker, PeriodFunctionIsAskedAfterEveryTick) {
  std::atomic<int> ticks{0};
  // Fast while "bootstrapping" (first 3 ticks), then a long period: exactly 3 ticks happen quickly.
  Ticker t([&] { return ticks < 3 ? std::chrono::nanoseconds(10ms) : std::chrono::nanoseconds(10s); },
           [&](auto) { ++ticks; });
  t.start();
  for (int i = 0; i < 400 && ticks < 3; ++i) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(100ms);
  t.stop();
  EXPECT_EQ(ticks.load(), 3);
}

}  // namespace
}  // namespace kmetrics
