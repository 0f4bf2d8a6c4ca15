#include "kubelet/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace kmetrics::sim {
namespace {

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second, weekday;
};

// Howard Hinnant's days-from-civil inverse; exact for the proleptic Gregorian calendar.
Civil toCivil(UnixNanos t) {
  int64_t secs = t / 1'000'000'000;
  if (t % 1'000'000'000 < 0) --secs;  // floor for times before 1970
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) { rem += 86400; --days; }
  Civil c{};
  c.hour = static_cast<unsigned>(rem / 3600);
  c.minute = static_cast<unsigned>(rem % 3600 / 60);
  c.second = static_cast<unsigned>(rem % 60);
  c.weekday = static_cast<unsigned>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

}  // namespace

void appendRfc3339Seconds(std::string& out, UnixNanos t) {
  const Civil c = toCivil(t);
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(c.year),
                              c.month, c.day, c.hour, c.minute, c.second);
  out.append(buf, static_cast<size_t>(n));
}

void appendHttpDate(std::string& out, UnixNanos t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Civil c = toCivil(t);
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02u:%02u:%02u GMT", kDays[c.weekday % 7], c.day,
                              kMonths[(c.month - 1) % 12], static_cast<long long>(c.year), c.hour, c.minute, c.second);
  out.append(buf, static_cast<size_t>(n));
}

UnixNanos wallNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace kmetrics::sim
