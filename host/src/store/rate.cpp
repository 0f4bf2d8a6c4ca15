#include "store/rate.hpp"

#include <limits>

namespace kmetrics {

const char* rate_error_message(RateError error) {
  switch (error) {
    case RateError::kNone:
      return "ok";
    case RateError::kStartTimeDecreased:
      return "unexpected decrease in startTime of node/container";
    case RateError::kCpuDecreased:
      return "unexpected decrease in cumulative CPU usage value";
    case RateError::kEmptyWindow:
      return "empty or negative time window between points";
  }
  return "unknown";
}

uint64_t cpu_rate_nanocores(uint64_t cpu_delta_ns, int64_t window_ns) {
  // Go: float64(delta) / window.Seconds(), where Seconds() = float64(ns) / 1e9. Kept in the same
  // order of operations so results match bit for bit.
  const double seconds = static_cast<double>(window_ns) / 1e9;
  const double rate = static_cast<double>(cpu_delta_ns) / seconds;
  // Converting a double >= 2^64 to uint64 is undefined in C++; saturate instead.
  constexpr double kTwoTo64 = 18446744073709551616.0;
  if (!(rate < kTwoTo64)) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(rate);
}

RateError compute_usage(const MetricsPoint& last, const MetricsPoint& prev, Usage& out) {
  if (last.start_time < prev.start_time) return RateError::kStartTimeDecreased;
  if (last.cpu_cumulative_ns < prev.cpu_cumulative_ns) return RateError::kCpuDecreased;
  int64_t window_ns = 0;
  // Timestamps come from kubelets; a wild pair must not overflow (UB) or divide by zero.
  if (__builtin_sub_overflow(last.timestamp, prev.timestamp, &window_ns) || window_ns <= 0) {
    return RateError::kEmptyWindow;
  }
  out.cpu_nanocores = cpu_rate_nanocores(last.cpu_cumulative_ns - prev.cpu_cumulative_ns, window_ns);
  out.memory_bytes = last.memory_working_set;
  out.timestamp = last.timestamp;
  out.window_ns = window_ns;
  return RateError::kNone;
}

}  // namespace kmetrics
