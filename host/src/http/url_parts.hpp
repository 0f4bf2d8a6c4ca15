// Absolute http:// and https:// URLs split for a request: the target (path and query) is sent
// exactly as written, so percent-encoded selectors reach the server unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kmetrics::http {

struct UrlParts {
  std::string scheme;  // "http" or "https"
  std::string host;    // without the brackets of an IPv6 literal
  uint16_t port = 0;   // the scheme's default when absent
  std::string target;  // "/metrics/resource?x=1", never empty; the fragment is dropped
  // "10.0.0.1:10250", "[fd00::1]:10250"; the port is left out when it is the scheme's default.
  std::string host_header() const;
};

// Throws std::invalid_argument with the reason ("URL must be absolute http:// or https://").
UrlParts parse_url(std::string_view url);

}  // namespace kmetrics::http
