#include "store/point_rules.hpp"

namespace kmetrics {

RateError compute_usage(const MetricsPoint& last, const PrevPoint& prev, Usage& out) {
  return compute_usage(last, MetricsPoint{prev.timestamp, prev.start_time, prev.cpu_cumulative_ns, 0}, out);
}

bool is_fresh_container(const MetricsPoint& p, std::chrono::nanoseconds resolution) {
  if (!(p.start_time < p.timestamp)) return false;
  int64_t age = 0;
  if (__builtin_sub_overflow(p.timestamp, p.start_time, &age)) return false;
  return age < resolution.count() && age >= kFreshContainerMinAge.count();
}

PrevPoint next_container_prev(const MetricsPoint& point, const MetricsPoint* before_last, const PrevPoint& before_prev,
                              std::chrono::nanoseconds resolution) {
  if (is_fresh_container(point, resolution)) return {point.start_time, point.start_time, 0, true};
  if (before_last != nullptr && point.start_time < before_last->timestamp) {  // not restarted since
    if (point.timestamp > before_last->timestamp) return PrevPoint::of(*before_last);
    if (before_prev.present && before_prev.timestamp < point.timestamp) return before_prev;
  }
  return {};
}

void advance_node(NodePoints& pp, bool first, const MetricsPoint& point) {
  if (first) {
    pp.prev = {};
  } else if (point.timestamp > pp.last.timestamp) {
    pp.prev = PrevPoint::of(pp.last);
  } else if (pp.prev.present && pp.prev.timestamp < point.timestamp) {
    // Out-of-order point between prev and last: keep prev.
  } else {
    pp.prev = {};
  }
  pp.last = point;
}

}  // namespace kmetrics
