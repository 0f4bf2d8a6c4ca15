// Go-syntax durations ("15s", "1m30s", "500ms", "1h2m3.5s"), as Kubernetes flags and objects use them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kmetrics::sdk {

using Duration = std::chrono::nanoseconds;

// Parses Go's time.ParseDuration syntax. Returns nullopt on any syntax error or overflow.
inline std::optional<Duration> parseDuration(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    return Duration{0};
  }
  if (s.empty()) {
    return std::nullopt;
  }
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    long double value = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (s[i] - '0');
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) {
      return std::nullopt;
    }
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !(s[u] >= '0' && s[u] <= '9') && s[u] != '.') {
      ++u;
    }
    const std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    long double ns_per_unit;
    if (unit == "ns") {
      ns_per_unit = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      ns_per_unit = 1e3L;
    } else if (unit == "ms") {
      ns_per_unit = 1e6L;
    } else if (unit == "s") {
      ns_per_unit = 1e9L;
    } else if (unit == "m") {
      ns_per_unit = 60e9L;
    } else if (unit == "h") {
      ns_per_unit = 3600e9L;
    } else {
      return std::nullopt;  // a missing or unknown unit
    }
    total += value * ns_per_unit;
    if (total > 9.2233720368547758e18L) {
      return std::nullopt;
    }
  }
  const auto ns = static_cast<int64_t>(total + 0.5L);
  return Duration{negative ? -ns : ns};
}

// Formats like Go's time.Duration.String(): "0s", "1µs", "11.069s", "1m0s", "1h2m3.5s".
inline std::string formatDuration(Duration d) {
  int64_t ns = d.count();
  if (ns == 0) {
    return "0s";
  }
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  auto fraction = [](uint64_t v, uint64_t unit) {
    std::string whole = std::to_string(v / unit);
    uint64_t rest = v % unit;
    if (rest == 0) {
      return whole;
    }
    std::string frac;
    for (uint64_t p = unit / 10; p > 0; p /= 10) {
      frac.push_back(static_cast<char>('0' + (rest / p) % 10));
    }
    while (!frac.empty() && frac.back() == '0') {
      frac.pop_back();
    }
    return whole + "." + frac;
  };
  if (u < 1000) {
    return sign + std::to_string(u) + "ns";
  }
  if (u < 1000000) {
    return sign + fraction(u, 1000) + "\xC2\xB5s";
  }
  if (u < 1000000000) {
    return sign + fraction(u, 1000000) + "ms";
  }
  const uint64_t hours = u / 3600000000000ull;
  u %= 3600000000000ull;
  const uint64_t minutes = u / 60000000000ull;
  u %= 60000000000ull;
  std::string out = sign;
  if (hours > 0) {
    out += std::to_string(hours) + "h";
  }
  if (hours > 0 || minutes > 0) {
    out += std::to_string(minutes) + "m";
  }
  return out + fraction(u, 1000000000) + "s";
}

}  // namespace kmetrics::sdk
