// Calls a tick function every `period` on its own thread, the first time immediately (as
// metrics-server's scrape loop does). Ticks never overlap: a slow tick delays the next one, and a
// tick that overran is followed immediately rather than by a burst of missed ticks.
// The period may be a function, asked after every tick: kmetrics ticks faster until the store has
// two points per object, so metrics are served seconds after start instead of one resolution.
// THREADING: start/stop from one controlling thread; lastTickStart from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace kmetrics {

class Ticker {
 public:
  using Clock = std::chrono::steady_clock;
  using TickFn = std::function<void(Clock::time_point tick_start)>;
  using PeriodFn = std::function<std::chrono::nanoseconds()>;

  Ticker(std::chrono::nanoseconds period, TickFn fn);
  Ticker(PeriodFn period, TickFn fn);
  ~Ticker();
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  void start();
  // Wakes the thread and joins it after the running tick (if any) returns.
  void stop();

  // Start of the most recent tick; time_since_epoch()==0 before the first.
  Clock::time_point lastTickStart() const { return Clock::time_point(Clock::duration(last_start_.load())); }
  uint64_t ticks() const { return ticks_.load(); }

 private:
  void run();

  const PeriodFn period_;
  TickFn fn_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<Clock::rep> last_start_{0};
  std::atomic<uint64_t> ticks_{0};
};

}  // namespace kmetrics
