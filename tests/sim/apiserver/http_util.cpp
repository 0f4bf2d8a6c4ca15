#include "apiserver/http_util.hpp"

#include <algorithm>
#include <cctype>
#include <istream>
#include <stdexcept>

namespace kmetrics::sim {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string unescape(const std::string& s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

}  // namespace

std::string queryUnescape(const std::string& s) { return unescape(s, true); }
std::string pathUnescape(const std::string& s) { return unescape(s, false); }

std::string queryEscape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(const std::string& raw) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('&', start);
    if (end == std::string::npos) end = raw.size();
    std::string part = raw.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k = queryUnescape(part.substr(0, eq));
      std::string v = eq == std::string::npos ? "" : queryUnescape(part.substr(eq + 1));
      out.emplace(k, v);  // first wins
    }
    start = end + 1;
  }
  return out;
}

std::string encodeQuerySorted(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> kv;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('&', start);
    if (end == std::string::npos) end = raw.size();
    std::string part = raw.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      kv.emplace_back(queryUnescape(part.substr(0, eq)),
                      eq == std::string::npos ? "" : queryUnescape(part.substr(eq + 1)));
    }
    start = end + 1;
  }
  // Go sorts keys and keeps the order of values within a key: a stable sort by key.
  std::stable_sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [k, v] : kv) {
    if (!out.empty()) out += '&';
    out += queryEscape(k) + "=" + queryEscape(v);
  }
  return out;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(pathUnescape(path.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

Json statusJson(int code, const std::string& reason, const std::string& message, Json details) {
  Json j{{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"status", "Failure"},
         {"message", message}, {"reason", reason}};
  if (!details.is_null()) j["details"] = std::move(details);
  j["code"] = code;
  return j;
}

void sendJson(Poco::Net::HTTPServerResponse& resp, int code, const Json& body, const std::string& content_type) {
  const std::string text = body.dump();
  resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code));
  resp.setContentType(content_type);
  resp.setContentLength(static_cast<std::streamsize>(text.size()));
  resp.send().write(text.data(), static_cast<std::streamsize>(text.size()));
}

void sendStatus(Poco::Net::HTTPServerResponse& resp, int code, const std::string& reason, const std::string& message,
                Json details) {
  sendJson(resp, code, statusJson(code, reason, message, std::move(details)));
}

void sendText(Poco::Net::HTTPServerResponse& resp, int code, const std::string& text) {
  resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code));
  resp.setContentType("text/plain; charset=utf-8");
  resp.set("X-Content-Type-Options", "nosniff");
  resp.setContentLength(static_cast<std::streamsize>(text.size()));
  resp.send().write(text.data(), static_cast<std::streamsize>(text.size()));
}

std::string readBody(Poco::Net::HTTPServerRequest& req, size_t limit) {
  std::string body;
  std::istream& in = req.stream();
  char buf[8192];
  while (in) {
    in.read(buf, sizeof buf);
    body.append(buf, static_cast<size_t>(in.gcount()));
    if (body.size() > limit) throw std::runtime_error("request body too large");
  }
  return body;
}

bool acceptAs(const std::string& accept, const std::string& kind) {
  // Parameters may come in any order; look for the exact as=<kind> parameter.
  size_t pos = 0;
  const std::string needle = "as=" + kind;
  while ((pos = accept.find(needle, pos)) != std::string::npos) {
    const size_t end = pos + needle.size();
    const bool boundary_before = pos == 0 || accept[pos - 1] == ';' || accept[pos - 1] == ' ';
    const bool boundary_after = end == accept.size() || accept[end] == ';' || accept[end] == ',';
    if (boundary_before && boundary_after) return true;
    pos = end;
  }
  return false;
}

}  // namespace kmetrics::sim
