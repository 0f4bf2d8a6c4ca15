#include "kubelet/http_request_parser.hpp"

#include <charconv>
#include <strings.h>

namespace kmetrics::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (strncasecmp(hay.data() + i, needle.data(), needle.size()) == 0) return true;
  }
  return false;
}

}  // namespace

ParseResult parseHttpRequest(std::string_view buf, HttpRequest& req, size_t& consumed) {
  const size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return buf.size() > kMaxHeaderBytes ? ParseResult::kHeadersTooLarge : ParseResult::kIncomplete;
  }
  if (end > kMaxHeaderBytes) return ParseResult::kHeadersTooLarge;
  std::string_view head = buf.substr(0, end + 2);

  const size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return ParseResult::kBadRequest;
  req = HttpRequest{};
  req.method = std::string(line.substr(0, sp1));
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (version == "HTTP/1.1") req.version_minor = 1;
  else if (version == "HTTP/1.0") req.version_minor = 0;
  else return ParseResult::kBadRequest;
  if (target.empty() || target.front() != '/') return ParseResult::kBadRequest;
  const size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
  req.keep_alive = req.version_minor == 1;

  size_t content_length = 0;
  size_t pos = line_end + 2;
  // Bounded by the header size limit above.
  while (pos < head.size()) {
    const size_t eol = head.find("\r\n", pos);
    std::string_view h = head.substr(pos, eol - pos);
    pos = eol + 2;
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos) return ParseResult::kBadRequest;
    std::string_view name = h.substr(0, colon);
    std::string_view value = trim(h.substr(colon + 1));
    if (iequals(name, "Authorization")) {
      req.authorization = std::string(value);
    } else if (iequals(name, "Connection")) {
      if (icontains(value, "close")) req.keep_alive = false;
      else if (icontains(value, "keep-alive")) req.keep_alive = true;
    } else if (iequals(name, "Content-Length")) {
      auto r = std::from_chars(value.data(), value.data() + value.size(), content_length);
      if (r.ec != std::errc() || r.ptr != value.data() + value.size()) return ParseResult::kBadRequest;
    } else if (iequals(name, "Transfer-Encoding")) {
      return ParseResult::kBadRequest;  // request bodies are never chunked by metrics clients
    }
  }
  if (content_length > kMaxBodyBytes) return ParseResult::kBodyTooLarge;
  if (buf.size() < end + 4 + content_length) return ParseResult::kIncomplete;
  consumed = end + 4 + content_length;
  return ParseResult::kComplete;
}

std::string queryParam(std::string_view query, std::string_view name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view kv = query.substr(pos, amp - pos);
    const size_t eq = kv.find('=');
    if (kv.substr(0, eq) == name) return eq == std::string_view::npos ? std::string() : std::string(kv.substr(eq + 1));
    pos = amp + 1;
  }
  return {};
}

}  // namespace kmetrics::sim
