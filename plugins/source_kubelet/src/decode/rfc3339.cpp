#include "rfc3339.hpp"

namespace kmetrics::kubelet {

namespace {

inline bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

inline bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

TimeParse parse_rfc3339_ns(std::string_view s, int64_t& out_ns) {
  // Fixed part: YYYY-MM-DDTHH:MM:SS (19 bytes), then optional fraction, then zone.
  if (s.size() < 20) return TimeParse::kSyntax;
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || s[10] != 'T' || !digits(s, 11, 2, hour) || s[13] != ':' ||
      !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
    return TimeParse::kSyntax;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return TimeParse::kSyntax;
  if (day > kDays[month - 1] + (month == 2 && leap(year) ? 1 : 0)) return TimeParse::kSyntax;
  if (hour > 23 || minute > 59 || second > 59) return TimeParse::kSyntax;

  std::size_t pos = 19;
  int64_t frac_ns = 0;
  if (s[pos] == '.' || s[pos] == ',') {  // Go accepts a comma as the fraction separator too
    ++pos;
    const std::size_t begin = pos;
    int64_t scale = 100000000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale > 0) {
        frac_ns += (s[pos] - '0') * scale;
        scale /= 10;
      }
      ++pos;
    }
    if (pos == begin) return TimeParse::kSyntax;
  }
  if (pos >= s.size()) return TimeParse::kSyntax;

  int64_t offset_s = 0;
  if (s[pos] == 'Z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (s.size() - pos != 6 || !digits(s, pos + 1, 2, oh) || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return TimeParse::kSyntax;
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return TimeParse::kSyntax;
  }
  if (pos != s.size()) return TimeParse::kSyntax;

  const int64_t secs = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                       hour * 3600 + minute * 60 + second - offset_s;
  // int64 ns covers 1677-09-21 .. 2262-04-11; check in seconds first so the multiply cannot overflow.
  constexpr int64_t kMaxSec = INT64_MAX / 1000000000;  // 9223372036
  if (secs > kMaxSec || secs < -kMaxSec) return TimeParse::kOutOfRange;
  const int64_t base = secs * 1000000000;
  if (secs >= 0 ? base > INT64_MAX - frac_ns : false) return TimeParse::kOutOfRange;
  out_ns = base + frac_ns;
  return TimeParse::kOk;
}

}  // namespace kmetrics::kubelet
