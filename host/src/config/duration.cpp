#include "config/duration.hpp"

#include <cstdint>
#include <optional>

namespace kmetrics::config {
namespace {

constexpr std::uint64_t kMaxMagnitude = std::uint64_t{1} << 63;  // |min int64|

std::string invalid(std::string_view orig) { return "time: invalid duration \"" + std::string(orig) + "\""; }

std::optional<std::uint64_t> unit_nanos(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1000;  // us, U+00B5 µs, U+03BC μs
  if (u == "ms") return 1000 * 1000;
  if (u == "s") return 1000 * 1000 * 1000;
  if (u == "m") return 60ULL * 1000 * 1000 * 1000;
  if (u == "h") return 3600ULL * 1000 * 1000 * 1000;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Go's leadingInt: consumes digits; fails on overflow past 1<<63.
bool leading_int(std::string_view& s, std::uint64_t& x) {
  x = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (x > kMaxMagnitude / 10) return false;
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > kMaxMagnitude) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Go's leadingFraction: consumes all digits but stops accumulating once precision would overflow.
void leading_fraction(std::string_view& s, std::uint64_t& x, double& scale) {
  x = 0;
  scale = 1;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (overflow) continue;
    if (x > (kMaxMagnitude - 1) / 10) {
      overflow = true;
      continue;
    }
    std::uint64_t y = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (y > kMaxMagnitude) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

}  // namespace

DurationParse parse_go_duration(std::string_view orig) {
  DurationParse out;
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return out;
  if (s.empty()) {
    out.error = invalid(orig);
    return out;
  }
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) {
      out.error = invalid(orig);
      return out;
    }
    std::size_t before = s.size();
    std::uint64_t v = 0;
    if (!leading_int(s, v)) {
      out.error = invalid(orig);
      return out;
    }
    bool pre = before != s.size();
    bool post = false;
    std::uint64_t f = 0;
    double scale = 1;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      std::size_t before_frac = s.size();
      leading_fraction(s, f, scale);
      post = before_frac != s.size();
    }
    if (!pre && !post) {
      out.error = invalid(orig);
      return out;
    }
    std::size_t i = 0;
    while (i < s.size() && !(s[i] == '.' || is_digit(s[i]))) ++i;
    if (i == 0) {
      out.error = "time: missing unit in duration \"" + std::string(orig) + "\"";
      return out;
    }
    std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    auto unit = unit_nanos(u);
    if (!unit) {
      out.error = "time: unknown unit \"" + std::string(u) + "\" in duration \"" + std::string(orig) + "\"";
      return out;
    }
    if (v > kMaxMagnitude / *unit) {
      out.error = invalid(orig);
      return out;
    }
    v *= *unit;
    if (f > 0) {
      // Same float arithmetic as Go so results match bit for bit.
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(*unit) / scale));
      if (v > kMaxMagnitude) {
        out.error = invalid(orig);
        return out;
      }
    }
    total += v;
    if (total > kMaxMagnitude) {
      out.error = invalid(orig);
      return out;
    }
  }
  if (neg) {
    out.value = Duration(static_cast<std::int64_t>(0 - total));  // two's complement: 1<<63 maps to min
    return out;
  }
  if (total > kMaxMagnitude - 1) {
    out.error = invalid(orig);
    return out;
  }
  out.value = Duration(static_cast<std::int64_t>(total));
  return out;
}

namespace {

// Writes the fraction of v with prec digits, trailing zeros (and the dot) omitted; returns v / 10^prec.
std::uint64_t format_fraction(std::string& rev, std::uint64_t v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    auto digit = static_cast<char>(v % 10);
    print = print || digit != 0;
    if (print) rev.push_back(static_cast<char>('0' + digit));
    v /= 10;
  }
  if (print) rev.push_back('.');
  return v;
}

void format_int(std::string& rev, std::uint64_t v) {
  if (v == 0) {
    rev.push_back('0');
    return;
  }
  while (v > 0) {
    rev.push_back(static_cast<char>('0' + v % 10));
    v /= 10;
  }
}

}  // namespace

std::string format_go_duration(Duration d) {
  // Built back to front like Go's Duration.format; "µ" is pushed reversed so the final reverse fixes it.
  std::string rev;
  auto ns = d.count();
  bool neg = ns < 0;
  std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  constexpr std::uint64_t kSecond = 1000000000;
  rev.push_back('s');
  if (u < kSecond) {
    int prec = 0;
    if (u == 0) return "0s";
    if (u < 1000) {
      rev.push_back('n');
    } else if (u < 1000000) {
      prec = 3;
      rev.push_back('\xB5');  // U+00B5 micro sign, UTF-8 C2 B5, reversed
      rev.push_back('\xC2');
    } else {
      prec = 6;
      rev.push_back('m');
    }
    u = format_fraction(rev, u, prec);
    format_int(rev, u);
  } else {
    u = format_fraction(rev, u, 9);
    format_int(rev, u % 60);
    u /= 60;
    if (u > 0) {
      rev.push_back('m');
      format_int(rev, u % 60);
      u /= 60;
      if (u > 0) {
        rev.push_back('h');
        format_int(rev, u);
      }
    }
  }
  if (neg) rev.push_back('-');
  return std::string(rev.rbegin(), rev.rend());
}

}  // namespace kmetrics::config
