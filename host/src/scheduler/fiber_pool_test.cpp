// FiberPool and FiberLoop on real descriptors: many tasks wait at once on few threads, deadlines
// fire, errors stay inside their task, and stop() lets parked tasks finish.
#include "scheduler/fiber_pool.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "scheduler/io_wait.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct SocketPair {
  int a = -1, b = -1;
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) throw std::runtime_error("socketpair");
    a = fds[0];
    b = fds[1];
  }
  ~SocketPair() {
    ::close(a);
    ::close(b);
  }
  void poke() const { ASSERT_EQ(::write(b, "x", 1), 1); }
};

// Polls `done` for up to 10 s (bounded).
template <class Pred>
bool eventually(Pred done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST(FiberPool, ManyTasksWaitAtOnceOnFewThreads) {
  constexpr size_t kThreads = 2, kFibers = 16, kTasks = 100;
  FiberPool pool({kThreads, kFibers, 1000});
  std::vector<SocketPair> sockets(kTasks);
  std::atomic<size_t> waiting{0}, done{0}, ready{0};
  std::mutex mu;
  std::set<std::thread::id> threads;
  for (size_t i = 0; i < kTasks; ++i) {
    ASSERT_TRUE(pool.submit([&, fd = sockets[i].a] {
      {
        std::lock_guard lock(mu);
        threads.insert(std::this_thread::get_id());
      }
      ++waiting;
      if (wait_for_fd(fd, POLLIN, Clock::now() + 20s)) ++ready;
      --waiting;
      ++done;
    }));
  }
  // Every fiber of both threads is parked on its socket at the same time.
  ASSERT_TRUE(eventually([&] { return waiting.load() == kThreads * kFibers; })) << waiting.load();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(waiting.load(), kThreads * kFibers) << "no more than the fibers may run at once";
  EXPECT_EQ(done.load(), 0u);
  for (const auto& s : sockets) s.poke();
  ASSERT_TRUE(eventually([&] { return done.load() == kTasks; })) << done.load();
  EXPECT_EQ(ready.load(), kTasks);
  EXPECT_LE(threads.size(), kThreads);
  pool.stop();
}

TEST(FiberPool, DeadlineWakesAWaiterWhileOthersRun) {
  FiberPool pool({1, 4, 100});
  SocketPair silent, chatty;
  std::atomic<int> timed_out{0}, answered{0};
  Clock::duration waited{};
  ASSERT_TRUE(pool.submit([&] {
    const auto start = Clock::now();
    if (!wait_for_fd(silent.a, POLLIN, start + 200ms)) ++timed_out;
    waited = Clock::now() - start;
  }));
  ASSERT_TRUE(pool.submit([&] {
    if (wait_for_fd(chatty.a, POLLIN, Clock::now() + 20s)) ++answered;
  }));
  chatty.poke();
  ASSERT_TRUE(eventually([&] { return answered.load() == 1; })) << "one thread, yet the second task ran";
  ASSERT_TRUE(eventually([&] { return timed_out.load() == 1; }));
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 5s);
  pool.stop();
}

TEST(FiberPool, AnExceptionStaysInItsTask) {
  FiberPool pool({1, 2, 100});
  SocketPair s;
  std::atomic<int> after{0};
  ASSERT_TRUE(pool.submit([&] {
    wait_for_fd(s.a, POLLIN, Clock::now() + 20s);
    throw std::runtime_error("kubelet lied");
  }));
  s.poke();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.submit([&] { ++after; }));
  ASSERT_TRUE(eventually([&] { return after.load() == 10; }));
  pool.stop();
}

TEST(FiberPool, StopLetsParkedTasksFinishThenRefuses) {
  FiberPool pool({2, 4, 100});
  SocketPair s;
  std::atomic<bool> started{false}, finished{false};
  ASSERT_TRUE(pool.submit([&] {
    started = true;
    wait_for_fd(s.a, POLLIN, Clock::now() + 300ms);  // never ready: ends at its deadline
    finished = true;
  }));
  ASSERT_TRUE(eventually([&] { return started.load(); }));
  pool.stop();
  EXPECT_TRUE(finished.load()) << "stop() must wait for the parked task";
  EXPECT_FALSE(pool.submit([] {}));
}

TEST(FiberPool, QueuedTasksBeyondTheBoundAreRefused) {
  FiberPool pool({1, 1, 2});
  SocketPair s;
  std::atomic<bool> started{false};
  ASSERT_TRUE(pool.submit([&] {
    started = true;
    wait_for_fd(s.a, POLLIN, Clock::now() + 20s);
  }));
  ASSERT_TRUE(eventually([&] { return started.load(); }));  // the only fiber is busy now
  EXPECT_TRUE(pool.submit([] {}));
  EXPECT_TRUE(pool.submit([] {}));
  EXPECT_FALSE(pool.submit([] {})) << "the queue holds two";
  s.poke();
  pool.stop();
}

TEST(WaitForFd, OutsideAFiberPollsTheThread) {
  SocketPair s;
  const auto start = Clock::now();
  EXPECT_FALSE(wait_for_fd(s.a, POLLIN, start + 50ms));
  EXPECT_GE(Clock::now() - start, 50ms);
  s.poke();
  EXPECT_TRUE(wait_for_fd(s.a, POLLIN, Clock::now() + 5s));
  EXPECT_TRUE(wait_for_fd(s.a, POLLOUT, Clock::now() + 5s));
}

}  // namespace
}  // namespace kmetrics
