// Number parsing and range-checked conversions shared by the decoders.
//
// Go's float→uint64 conversion is implementation-defined out of range, C++'s is undefined, so every
// conversion here reports why a value cannot be used instead of converting it.
#pragma once

#include <cstdint>
#include <string_view>

namespace kmetrics::kubelet {

// Parses a Prometheus text-format sample value: decimal or exponent notation with optional sign,
// "NaN", "+Inf", "-Inf" (case-insensitive, like Go's strconv.ParseFloat). The whole token must be used.
bool parse_prom_float(std::string_view token, double& out);

// Parses an optionally signed decimal int64; false on overflow or any stray character.
bool parse_int64(std::string_view token, int64_t& out);

enum class ConvertResult { kOk, kNonFinite, kNegative, kOutOfRange };

// uint64(value * scale) truncated toward zero, as metrics-server does (scale 1e9 for seconds → ns,
// 1 for bytes). Negative values are refused rather than wrapped.
ConvertResult to_uint64_scaled(double value, double scale, uint64_t& out);

// int64(value * 1e9) for start times given in seconds.
ConvertResult seconds_to_int64_ns(double seconds, int64_t& out);

// Sample timestamp in milliseconds → ns; false if it does not fit int64.
bool millis_to_ns(int64_t ms, int64_t& out);

}  // namespace kmetrics::kubelet
