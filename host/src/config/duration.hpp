// Go time.Duration text: parsing (time.ParseDuration) and formatting (Duration.String).
// metrics-server flags and the metrics.k8s.io `window` field use this syntax, so it must match Go exactly:
// "15s", "1m0s", "1h2m3.5s", "500ms", "1µs", "0s".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace kmetrics::config {

using Duration = std::chrono::nanoseconds;

struct DurationParse {
  Duration value{0};
  std::string error;  // Go's message, e.g. `time: invalid duration "abc"`; empty on success
  bool ok() const { return error.empty(); }
};

// Accepts [-+]?([0-9]*(\.[0-9]*)?unit)+ with units ns, us, µs, μs, ms, s, m, h, or a bare "0".
DurationParse parse_go_duration(std::string_view text);

// Go's Duration.String(): "0s", "1.5µs", "500ms", "11.069s", "1m0s", "-1h2m3.5s".
std::string format_go_duration(Duration d);

}  // namespace kmetrics::config
