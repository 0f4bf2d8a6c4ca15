// How a node's FaultMode changes one response. The decision is separate from the I/O so tests and
// docs can state the behaviour in one place:
//   hang         request read, never answered; connection kept until the client closes or the fleet stops
//   http500      500 "Internal Server Error" on every path (after authentication)
//   garbage      200 with the endpoint's Content-Type and random bytes (honest Content-Length)
//   truncated    headers announce the whole body (Content-Length or chunked), half of it is sent, then the
//                TCP connection is shut down without a TLS close_notify (a kubelet dying mid-write)
//   nan          CPU and memory values NaN / +Inf in text payloads; 2^64-1 in the Summary JSON
//   slow         the response, computed at request time, is sent after slow_delay_ms
//   summary-only 404 on /metrics/resource (a pre-1.18 kubelet); everything else works
#pragma once

#include <cstdint>
#include <string>

#include "cluster/cluster_state.hpp"

namespace kmetrics::sim {

enum class FaultAction { kServe, kHang, kDelay, kStatus500, kGarbage, kTruncate, kNotFound };

struct FaultDecision {
  FaultAction action = FaultAction::kServe;
  bool nan_values = false;
  uint32_t delay_ms = 0;
};

// `path` is the request path; /healthz is affected like any other path except by summary-only.
FaultDecision decideFault(FaultMode mode, uint32_t slow_delay_ms, const std::string& path);

// `n` pseudo-random bytes from `seed` (deterministic per request, any byte value including NUL).
std::string garbageBytes(uint64_t seed, size_t n);

}  // namespace kmetrics::sim
