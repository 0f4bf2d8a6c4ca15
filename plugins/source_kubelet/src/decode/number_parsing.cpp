#include "number_parsing.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace kmetrics::kubelet {

namespace {
// 2^64 and 2^63 as doubles: exact, so `v < k` is the precise "fits" test before a cast.
constexpr double kTwo64 = 18446744073709551616.0;
constexpr double kTwo63 = 9223372036854775808.0;
}  // namespace

bool parse_prom_float(std::string_view token, double& out) {
  if (token.empty()) return false;
  const char* first = token.data();
  const char* last = first + token.size();
  // from_chars does not accept a leading '+'; Go does ("+Inf", "+1.5").
  if (*first == '+') {
    ++first;
    if (first == last || *first == '-') return false;
  }
  // from_chars accepts "nan(chars)", Go does not: refuse anything with a parenthesis.
  if (last[-1] == ')') return false;
  double fast = 0;
  if (parse_prom_float_prefix(first, last, fast) == last) {
    out = fast;
    return true;
  }
  auto [ptr, ec] = std::from_chars(first, last, out, std::chars_format::general);
  if (ptr != last) return false;
  if (ec == std::errc::result_out_of_range) {
    // Go returns ±Inf for overflow and 0 for underflow together with an error; textparse fails the
    // line. We keep the value (from_chars leaves it untouched) as a non-finite marker so the series
    // is counted as out of range rather than failing the whole payload.
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (ec != std::errc()) return false;
  return true;
}

bool parse_int64(std::string_view token, int64_t& out) {
  if (token.empty()) return false;
  const char* first = token.data();
  const char* last = first + token.size();
  if (*first == '+') {  // strconv.ParseInt accepts a leading '+'
    ++first;
    if (first == last || *first == '-') return false;
  }
  int64_t fast = 0;
  if (parse_int64_prefix(first, last, fast) == last) {
    out = fast;
    return true;
  }
  auto [ptr, ec] = std::from_chars(first, last, out, 10);
  return ec == std::errc() && ptr == last;
}

ConvertResult to_uint64_scaled(double value, double scale, uint64_t& out) {
  if (!std::isfinite(value)) return ConvertResult::kNonFinite;
  if (value < 0) return ConvertResult::kNegative;
  const double v = value * scale;
  if (!(v < kTwo64)) return ConvertResult::kOutOfRange;
  out = static_cast<uint64_t>(v);
  return ConvertResult::kOk;
}

ConvertResult seconds_to_int64_ns(double seconds, int64_t& out) {
  if (!std::isfinite(seconds)) return ConvertResult::kNonFinite;
  const double v = seconds * 1e9;
  if (!(v < kTwo63) || !(v >= -kTwo63)) return ConvertResult::kOutOfRange;
  out = static_cast<int64_t>(v);
  return ConvertResult::kOk;
}

bool millis_to_ns(int64_t ms, int64_t& out) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000000;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min() / 1000000;
  if (ms > kMax || ms < kMin) return false;
  out = ms * 1000000;
  return true;
}

}  // namespace kmetrics::kubelet
