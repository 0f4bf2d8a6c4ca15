#include "cluster/quantity.hpp"

#include <limits>

namespace kmetrics::cluster {

namespace {

using u128 = unsigned __int128;

bool fail(std::string* error, std::string_view text, const char* why) {
  if (error != nullptr) *error = "invalid quantity \"" + std::string(text) + "\": " + why;
  return false;
}

bool mul_checked(u128& v, u128 by) {
  if (v != 0 && by > std::numeric_limits<u128>::max() / v) return false;
  v *= by;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<int64_t> parse_quantity_scaled(std::string_view text, int scale, std::string* error) {
  std::string_view s = text;
  if (s.empty()) {
    fail(error, text, "empty");
    return std::nullopt;
  }
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // Mantissa digits, remembering how many were after the point. Leading zeros do not count and at
  // most 36 significant digits are kept exactly (more is beyond any real resource value).
  u128 mantissa = 0;
  int exp10 = 0;
  int digits = 0, significant = 0;
  bool point = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (point) {
        fail(error, text, "more than one decimal point");
        return std::nullopt;
      }
      point = true;
      continue;
    }
    if (!is_digit(c)) break;
    ++digits;
    if (mantissa == 0 && c == '0') {
      if (point) --exp10;
      continue;
    }
    if (significant >= 36) {
      if (!point) ++exp10;  // drop the digit but keep the magnitude (rounding up below stays safe)
      continue;
    }
    mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
    ++significant;
    if (point) --exp10;
  }
  if (digits == 0) {
    fail(error, text, "no digits");
    return std::nullopt;
  }
  std::string_view suffix = s.substr(i);
  int exp2 = 0;
  if (suffix.empty()) {
  } else if (suffix == "Ki") {
    exp2 = 10;
  } else if (suffix == "Mi") {
    exp2 = 20;
  } else if (suffix == "Gi") {
    exp2 = 30;
  } else if (suffix == "Ti") {
    exp2 = 40;
  } else if (suffix == "Pi") {
    exp2 = 50;
  } else if (suffix == "Ei") {
    exp2 = 60;
  } else if (suffix == "n") {
    exp10 -= 9;
  } else if (suffix == "u") {
    exp10 -= 6;
  } else if (suffix == "m") {
    exp10 -= 3;
  } else if (suffix == "k") {
    exp10 += 3;
  } else if (suffix == "M") {
    exp10 += 6;
  } else if (suffix == "G") {
    exp10 += 9;
  } else if (suffix == "T") {
    exp10 += 12;
  } else if (suffix == "P") {
    exp10 += 15;
  } else if (suffix == "E") {
    exp10 += 18;
  } else if ((suffix[0] == 'e' || suffix[0] == 'E') && suffix.size() >= 2) {
    std::string_view e = suffix.substr(1);
    bool eneg = false;
    if (e[0] == '+' || e[0] == '-') {
      eneg = e[0] == '-';
      e.remove_prefix(1);
    }
    if (e.empty() || e.size() > 4) {
      fail(error, text, "bad exponent");
      return std::nullopt;
    }
    int ev = 0;
    for (char c : e) {
      if (!is_digit(c)) {
        fail(error, text, "bad exponent");
        return std::nullopt;
      }
      ev = ev * 10 + (c - '0');
    }
    exp10 += eneg ? -ev : ev;
  } else {
    fail(error, text, "unknown suffix");
    return std::nullopt;
  }

  exp10 += scale;
  u128 v = mantissa;
  bool ok = true;
  for (int k = 0; k < exp2 && ok; ++k) ok = mul_checked(v, 2);
  bool inexact = false;
  if (exp10 >= 0) {
    for (int k = 0; k < exp10 && ok && v != 0; ++k) ok = mul_checked(v, 10);
  } else {
    for (int k = 0; k < -exp10 && v != 0; ++k) {
      if (v % 10 != 0) inexact = true;
      v /= 10;
    }
  }
  if (!ok || v > static_cast<u128>(std::numeric_limits<int64_t>::max())) {
    fail(error, text, "out of range");
    return std::nullopt;
  }
  auto out = static_cast<int64_t>(v);
  if (negative) return -out;  // towards +infinity: the truncated magnitude is already the ceiling
  if (inexact) {
    if (out == std::numeric_limits<int64_t>::max()) {
      fail(error, text, "out of range");
      return std::nullopt;
    }
    ++out;
  }
  return out;
}

}  // namespace kmetrics::cluster
