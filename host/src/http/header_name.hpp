// HTTP header names compare case-insensitively (RFC 9110 §5.1).
#pragma once

#include <strings.h>

#include <string_view>

namespace kmetrics::http {

inline bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kmetrics::http
