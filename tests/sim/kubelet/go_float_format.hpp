// Number formatting exactly as the Prometheus Go client prints sample values (expfmt writeFloat):
// 0, 1, -1 spelled out; NaN, +Inf, -Inf; otherwise strconv.FormatFloat(v, 'g', -1, 64), i.e. the
// shortest round-trip digits; exponent form when the decimal exponent is < -4 or >= 6 (Go uses
// eprec = 6 for shortest 'g'), exponent with at least two digits ("1.253376e+07", "357.35491").
#pragma once

#include <cstdint>
#include <string>

namespace kmetrics::sim {

// Appends Go's strconv.FormatFloat(v, 'g', -1, 64) with Prometheus' special cases.
void appendPromFloat(std::string& out, double v);

// Appends a decimal integer (sample timestamps in ms, JSON counters).
void appendInt(std::string& out, int64_t v);
void appendUint(std::string& out, uint64_t v);

}  // namespace kmetrics::sim
