#include "scheduler/ticker.hpp"

namespace kmetrics {

Ticker::Ticker(std::chrono::nanoseconds period, TickFn fn)
    : Ticker([period] { return period; }, std::move(fn)) {}

Ticker::Ticker(PeriodFn period, TickFn fn) : period_(std::move(period)), fn_(std::move(fn)) {}

Ticker::~Ticker() { stop(); }

void Ticker::start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) {
    thread_ = std::thread([this] { run(); });
  }
}

void Ticker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
}

void Ticker::run() {
  auto next = Clock::now();
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, next, [this] { return stopping_; })) {
        return;
      }
    }
    const auto start = Clock::now();
    last_start_.store(start.time_since_epoch().count());
    fn_(start);
    ticks_.fetch_add(1);
    next = start + period_();
    if (next < Clock::now()) {
      next = Clock::now();
    }
  }
}

}  // namespace kmetrics
