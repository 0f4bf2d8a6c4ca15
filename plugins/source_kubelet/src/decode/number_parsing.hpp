// Number parsing and range-checked conversions shared by the decoders.
//
// Go's float→uint64 conversion is implementation-defined out of range, C++'s is undefined, so every
// conversion here reports why a value cannot be used instead of converting it.
#pragma once

#include <cstdint>
#include <string_view>

namespace kmetrics::kubelet {

namespace detail {
// 10^0 .. 10^22: every one is exactly representable as a double.
inline constexpr double kExactPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                           1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                           1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
}  // namespace detail

// Fast path for the float forms kubelets print (`-?digits(.digits)?([eE][+-]?digits)?`), reading
// from `p` and stopping at the first byte that cannot continue the number (or at `end`). Returns that
// position, or nullptr when the prefix is not something it can convert exactly; then the caller must
// use parse_prom_float on the whole token. Exact means identical to std::from_chars (correctly
// rounded): at most 19 digits whose value is ≤ 2^53 and a decimal exponent within ±22, so the result
// is one IEEE multiplication or division of two exact doubles (Clinger's fast path).
inline const char* parse_prom_float_prefix(const char* p, const char* end, double& out) {
  using detail::is_digit;
  bool neg = false;
  if (p < end && *p == '-') {
    neg = true;
    ++p;
  }
  const char* const digits = p;
  uint64_t w = 0;
  while (p < end && is_digit(*p)) w = w * 10 + static_cast<uint64_t>(*p++ - '0');
  const std::ptrdiff_t int_digits = p - digits;
  if (int_digits == 0) return nullptr;
  std::ptrdiff_t frac_digits = 0;
  if (p < end && *p == '.') {
    const char* const f = ++p;
    while (p < end && is_digit(*p)) w = w * 10 + static_cast<uint64_t>(*p++ - '0');
    frac_digits = p - f;
    if (frac_digits == 0) return nullptr;
  }
  if (int_digits + frac_digits > 19) return nullptr;  // w may have wrapped
  int e = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool eneg = false;
    if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    const char* const eb = p;
    while (p < end && is_digit(*p) && p - eb < 4) e = e * 10 + (*p++ - '0');
    if (p == eb || (p < end && is_digit(*p))) return nullptr;
    if (eneg) e = -e;
  }
  if (w > (uint64_t{1} << 53)) return nullptr;
  e -= static_cast<int>(frac_digits);
  double d = static_cast<double>(w);
  if (e < 0) {
    if (e < -22) return nullptr;
    d /= detail::kExactPow10[-e];
  } else {
    if (e > 22) return nullptr;
    d *= detail::kExactPow10[e];
  }
  out = neg ? -d : d;
  return p;
}

// Fast path for timestamps: `-?` and 1 to 18 digits (cannot overflow), stopping at the first
// non-digit. nullptr when the prefix is anything else; then use parse_int64 on the whole token.
inline const char* parse_int64_prefix(const char* p, const char* end, int64_t& out) {
  bool neg = false;
  if (p < end && *p == '-') {
    neg = true;
    ++p;
  }
  const char* const digits = p;
  uint64_t w = 0;
  while (p < end && detail::is_digit(*p)) w = w * 10 + static_cast<uint64_t>(*p++ - '0');
  const std::ptrdiff_t n = p - digits;
  if (n == 0 || n > 18) return nullptr;
  out = neg ? -static_cast<int64_t>(w) : static_cast<int64_t>(w);
  return p;
}

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
