#include "http/deadline.hpp"

#include <cstdio>

namespace kmetrics::http {

std::string format_duration(std::chrono::nanoseconds d) {
  using namespace std::chrono;
  // Deadlines are computed a little before the request starts: round so that a 10s budget reads
  // "10s" and not "9.999s" (to 10 ms below one second, to 100 ms above).
  auto ms = duration_cast<milliseconds>(d + microseconds(500)).count();
  ms = ms < 1000 ? (ms + 5) / 10 * 10 : (ms + 50) / 100 * 100;
  char buf[64];
  if (ms % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
  } else if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "%.3gs", double(ms) / 1000.0);
  }
  return buf;
}

}  // namespace kmetrics::http
