#include "time_format.hpp"

#include <ctime>

namespace kmetrics::metrics_api {

int64_t unixSeconds(int64_t unix_ns) {
  int64_t secs = unix_ns / 1'000'000'000;
  if (unix_ns < 0 && unix_ns % 1'000'000'000 != 0) {
    --secs;
  }
  return secs;
}

std::string rfc3339FromSeconds(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string rfc3339Seconds(int64_t unix_ns) { return rfc3339FromSeconds(unixSeconds(unix_ns)); }

}  // namespace kmetrics::metrics_api
