// HTTP/1.1 responses shaped like Go net/http's: a body that fits the 2 KiB pre-chunking buffer gets a
// Content-Length, a larger one is sent with Transfer-Encoding: chunked (HTTP/1.1 clients only).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cluster/workload.hpp"

namespace kmetrics::sim {

inline constexpr size_t kGoChunkingThreshold = 2048;

struct ResponseHead {
  int status = 200;
  std::string_view content_type = "text/plain; charset=utf-8";
  bool keep_alive = true;
  bool http11 = true;
  UnixNanos now = 0;
};

// Appends status line, headers and the body (chunked or not) to `out`.
// `body_cut`, when smaller than body.size(), sends the headers for the whole body but only the first
// `body_cut` bytes of it (fault "truncated"); the caller then drops the connection.
void appendResponse(std::string& out, const ResponseHead& head, std::string_view body,
                    size_t body_cut = std::string_view::npos);

const char* reasonPhrase(int status);

}  // namespace kmetrics::sim
