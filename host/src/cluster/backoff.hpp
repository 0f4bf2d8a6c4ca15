// Exponential backoff with full jitter, bounded: delay n is uniform in [d/2, d] with
// d = min(initial * 2^n, max). Not thread-safe: one per retry loop.
#pragma once

#include <algorithm>
#include <chrono>
#include <random>

namespace kmetrics::cluster {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(initial), max_(std::max(max, initial)), rng_(std::random_device{}()) {}

  std::chrono::milliseconds next() {
    auto d = initial_;
    for (int i = 0; i < attempt_ && d < max_; ++i) d *= 2;
    d = std::min(d, max_);
    if (attempt_ < 62) ++attempt_;
    std::uniform_int_distribution<long long> dist(d.count() / 2, d.count());
    return std::chrono::milliseconds(dist(rng_));
  }
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds initial_, max_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace kmetrics::cluster
