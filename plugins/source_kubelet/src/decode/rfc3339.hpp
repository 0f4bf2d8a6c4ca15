// RFC 3339 timestamps as the kubelet writes them (metav1.Time): "2020-04-16T20:25:30Z", also with
// fractional seconds and numeric offsets ("2021-10-03T11:36:49.72+02:00").
#pragma once

#include <cstdint>
#include <string_view>

namespace kmetrics::kubelet {

enum class TimeParse { kOk, kSyntax, kOutOfRange };

// Parses into Unix nanoseconds. Accepts what Go's time.Parse(time.RFC3339, s) accepts: upper-case
// 'T' and 'Z', seconds 00–59, any number of fraction digits (beyond 9 truncated), offsets up to
// ±23:59. kOutOfRange when the instant does not fit int64 nanoseconds (before 1677 or after 2262).
TimeParse parse_rfc3339_ns(std::string_view s, int64_t& out_ns);

}  // namespace kmetrics::kubelet
