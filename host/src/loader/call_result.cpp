#include "loader/call_result.hpp"

namespace kmetrics {

std::string statusName(kmetrics_status status) {
  switch (status) {
    case KMETRICS_OK: return "OK";
    case KMETRICS_ERR_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case KMETRICS_ERR_UNAVAILABLE: return "UNAVAILABLE";
    case KMETRICS_ERR_DEADLINE: return "DEADLINE";
    case KMETRICS_ERR_NOT_FOUND: return "NOT_FOUND";
    case KMETRICS_ERR_UNIMPLEMENTED: return "UNIMPLEMENTED";
    case KMETRICS_ERR_INTERNAL: return "INTERNAL";
  }
  return "UNKNOWN(" + std::to_string(static_cast<int>(status)) + ")";
}

std::string CallResult::summary() const {
  std::string s = statusName(status);
  const char* sep = ": ";
  for (const auto& d : diagnostics) {
    s += sep;
    if (!d.path.empty()) {
      s += d.path + ": ";
    }
    s += d.message;
    sep = "; ";
  }
  return s;
}

}  // namespace kmetrics
