#include "kubelet/fault_injection.hpp"

namespace kmetrics::sim {

FaultDecision decideFault(FaultMode mode, uint32_t slow_delay_ms, const std::string& path) {
  FaultDecision d;
  switch (mode) {
    case FaultMode::kNone: break;
    case FaultMode::kHang: d.action = FaultAction::kHang; break;
    case FaultMode::kHttp500: d.action = FaultAction::kStatus500; break;
    case FaultMode::kGarbage: d.action = FaultAction::kGarbage; break;
    case FaultMode::kTruncated: d.action = FaultAction::kTruncate; break;
    case FaultMode::kNaN: d.nan_values = true; break;
    case FaultMode::kSlow:
      d.action = FaultAction::kDelay;
      d.delay_ms = slow_delay_ms;
      break;
    case FaultMode::kSummaryOnly:
      if (path == "/metrics/resource") d.action = FaultAction::kNotFound;
      break;
  }
  return d;
}

std::string garbageBytes(uint64_t seed, size_t n) {
  std::string out(n, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < n; ++i) {
    // xorshift64*: cheap and good enough to look like noise.
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    out[i] = static_cast<char>((x * 0x2545F4914F6CDD1Dull) >> 56);
  }
  return out;
}

}  // namespace kmetrics::sim
