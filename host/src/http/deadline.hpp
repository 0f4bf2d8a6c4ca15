// Request deadlines on the monotonic clock. The ABI passes deadlines as CLOCK_MONOTONIC nanoseconds;
// libstdc++'s steady_clock is CLOCK_MONOTONIC, so the conversion is exact.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kmetrics::http {

using Clock = std::chrono::steady_clock;

inline Clock::time_point deadline_from_mono_ns(int64_t mono_ns) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(mono_ns)));
}

inline Clock::time_point deadline_after(std::chrono::nanoseconds d) { return Clock::now() + d; }

// "10s", "1.5s", "250ms": for error messages.
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace kmetrics::http
