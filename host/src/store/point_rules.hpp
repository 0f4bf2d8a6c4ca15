// Which earlier point a new point is paired with: metrics-server v0.9's storage rules
// (reference/metrics-server.md §2.6, pkg/storage/node.go and pod.go). Pure functions; thread-safe.
#pragma once

#include <chrono>

#include "model/sample.hpp"
#include "store/rate.hpp"

namespace kmetrics {

// metrics-server's freshContainerMinMetricsResolution.
inline constexpr std::chrono::nanoseconds kFreshContainerMinAge = std::chrono::seconds(10);

// The earlier point of a pair. Memory is not kept: usage reports the last point's.
struct PrevPoint {
  UnixNanos timestamp = 0;
  UnixNanos start_time = 0;
  uint64_t cpu_cumulative_ns = 0;
  bool present = false;

  static PrevPoint of(const MetricsPoint& p) { return {p.timestamp, p.start_time, p.cpu_cumulative_ns, true}; }
};

// compute_usage() against a PrevPoint (which must be present).
RateError compute_usage(const MetricsPoint& last, const PrevPoint& prev, Usage& out);

// start < timestamp and 10 s <= timestamp - start < resolution: a synthetic prev {start, cpu 0} is used.
bool is_fresh_container(const MetricsPoint& p, std::chrono::nanoseconds resolution);

// The prev a container's new `point` gets. `before_last`/`before_prev` are the container's last
// point and its prev from the previous tick; before_last is null for a container seen for the first time.
// The last point is reused only if the container did not restart since (start < last.timestamp).
PrevPoint next_container_prev(const MetricsPoint& point, const MetricsPoint* before_last, const PrevPoint& before_prev,
                              std::chrono::nanoseconds resolution);

// A node's pair: a newer point moves last to prev; an out-of-order point between prev and last
// keeps prev; anything else (repeated point, first point) leaves no prev.
struct NodePoints {
  MetricsPoint last;
  PrevPoint prev;
};
void advance_node(NodePoints& points, bool first, const MetricsPoint& point);

}  // namespace kmetrics
