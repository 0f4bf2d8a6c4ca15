#include "http/url_parts.hpp"

#include <charconv>
#include <stdexcept>

namespace kmetrics::http {

std::string UrlParts::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (!default_port) h += ":" + std::to_string(port);
  return h;
}

UrlParts parse_url(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      throw std::invalid_argument("invalid URL: contains whitespace or control characters");
    }
  }
  UrlParts u;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) throw std::invalid_argument("URL must be absolute http:// or https://");
  for (char c : url.substr(0, sep)) u.scheme.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  if (u.scheme != "http" && u.scheme != "https") {
    throw std::invalid_argument("URL must be absolute http:// or https://");
  }
  std::string_view rest = url.substr(sep + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (authority.find('@') != std::string_view::npos) {
    throw std::invalid_argument("invalid URL: user information in the URL is not supported");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("invalid URL: unterminated IPv6 address");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw std::invalid_argument("invalid URL: junk after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) throw std::invalid_argument("URL must be absolute http:// or https:// with a host");
  u.port = u.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      throw std::invalid_argument("invalid URL: bad port \"" + std::string(port_text) + "\"");
    }
    u.port = static_cast<uint16_t>(port);
  }
  tail = tail.substr(0, tail.find('#'));
  u.target = tail.empty() || tail.front() != '/' ? "/" + std::string(tail) : std::string(tail);
  return u;
}

}  // namespace kmetrics::http
