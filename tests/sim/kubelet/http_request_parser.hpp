// Minimal HTTP/1.x request parsing for the simulated kubelet: request line, the few headers that
// matter (Authorization, Connection, Content-Length, Transfer-Encoding), body skipped by length.
// Bounded: headers larger than kMaxHeaderBytes or bodies larger than kMaxBodyBytes are rejected.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kmetrics::sim {

inline constexpr size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

struct HttpRequest {
  std::string method;
  std::string path;   // without the query
  std::string query;  // after '?', undecoded
  int version_minor = 1;
  bool keep_alive = true;  // HTTP/1.1 default unless "Connection: close"; HTTP/1.0 needs keep-alive
  std::string authorization;
};

enum class ParseResult { kIncomplete, kComplete, kBadRequest, kHeadersTooLarge, kBodyTooLarge };

// Parses one request from the front of `buf`. On kComplete, `consumed` is the number of bytes of
// the request including its body, so pipelined requests stay in the buffer.
ParseResult parseHttpRequest(std::string_view buf, HttpRequest& req, size_t& consumed);

// Value of `name` in an undecoded query string ("a=1&b=2"), empty if absent.
std::string queryParam(std::string_view query, std::string_view name);

}  // namespace kmetrics::sim
