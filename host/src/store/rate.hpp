// Rate computation between two points of one node or container, exactly as metrics-server's
// resourceUsage (pkg/storage/types.go). Pure functions; thread-safe.
#pragma once

#include <cstdint>

#include "model/sample.hpp"

namespace kmetrics {

// Usage derived from a (last, prev) pair.
struct Usage {
  uint64_t cpu_nanocores = 0;  // average over the window
  uint64_t memory_bytes = 0;   // working set at last.timestamp
  UnixNanos timestamp = 0;     // last.timestamp
  int64_t window_ns = 0;       // last.timestamp - prev.timestamp
};

enum class RateError {
  kNone,
  kStartTimeDecreased,  // "unexpected decrease in startTime of node/container"
  kCpuDecreased,        // "unexpected decrease in cumulative CPU usage value"
  kEmptyWindow,         // window <= 0: cannot happen through Store's rules; guarded, never divides by 0
};

const char* rate_error_message(RateError error);

// Returns kNone and fills `out` on success. No exceptions, no allocation.
RateError compute_usage(const MetricsPoint& last, const MetricsPoint& prev, Usage& out);

// uint64(delta / seconds) as Go does it, but saturating instead of undefined when out of range.
uint64_t cpu_rate_nanocores(uint64_t cpu_delta_ns, int64_t window_ns);

// Whole millicores (history rows), saturating at INT64_MAX.
inline int64_t to_millicores(uint64_t nanocores) {
  const uint64_t m = nanocores / 1000000;
  return m > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(m);
}

inline uint64_t saturating_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace kmetrics
