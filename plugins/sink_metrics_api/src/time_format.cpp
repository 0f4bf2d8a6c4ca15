#include "time_format.hpp"

#include <ctime>

namespace kmetrics::metrics_api {

std::string rfc3339Seconds(int64_t unix_ns) {
  // metav1.Time truncates to the second (floor, also for times before the epoch).
  int64_t secs = unix_ns / 1'000'000'000;
  if (unix_ns < 0 && unix_ns % 1'000'000'000 != 0) {
    --secs;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace kmetrics::metrics_api
