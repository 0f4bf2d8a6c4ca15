#include "kubelet/http_response.hpp"

#include <cstdio>

#include "kubelet/go_float_format.hpp"
#include "kubelet/time_format.hpp"

namespace kmetrics::sim {

const char* reasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Request Entity Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

void appendResponse(std::string& out, const ResponseHead& head, std::string_view body, size_t body_cut) {
  const bool chunked = head.http11 && body.size() > kGoChunkingThreshold;
  out += head.http11 ? "HTTP/1.1 " : "HTTP/1.0 ";
  appendInt(out, head.status);
  out += ' ';
  out += reasonPhrase(head.status);
  out += "\r\nContent-Type: ";
  out += head.content_type;
  out += "\r\nDate: ";
  appendHttpDate(out, head.now);
  if (!head.keep_alive) out += "\r\nConnection: close";
  else if (!head.http11) out += "\r\nConnection: keep-alive";
  if (chunked) {
    out += "\r\nTransfer-Encoding: chunked\r\n\r\n";
  } else {
    out += "\r\nContent-Length: ";
    appendUint(out, body.size());
    out += "\r\n\r\n";
  }
  const size_t send = body_cut < body.size() ? body_cut : body.size();
  if (!chunked) {
    out.append(body.data(), send);
    return;
  }
  // Go flushes its 2 KiB buffer as one chunk each time it fills.
  for (size_t off = 0; off < send; off += kGoChunkingThreshold) {
    const size_t full = body.size() - off < kGoChunkingThreshold ? body.size() - off : kGoChunkingThreshold;
    char hex[20];
    const int n = std::snprintf(hex, sizeof hex, "%zx\r\n", full);
    out.append(hex, static_cast<size_t>(n));
    const size_t part = send - off < full ? send - off : full;
    out.append(body.data() + off, part);
    if (part < full) return;  // cut inside this chunk
    out += "\r\n";
  }
  if (send == body.size()) out += "0\r\n\r\n";
}

}  // namespace kmetrics::sim
