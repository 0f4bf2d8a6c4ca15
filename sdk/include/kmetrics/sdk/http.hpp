// Views over HTTP requests and responses crossing the ABI (outgoing client and incoming routes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

// A request handled by a route registered on a host listener. Borrowed: valid during the handler.
class RouteRequest {
 public:
  explicit RouteRequest(const kmetrics_route_request& r) : r_(r) {}

  std::string_view method() const { return view(r_.method); }
  std::string_view path() const { return view(r_.path); }
  std::string_view query() const { return view(r_.query); }
  std::string_view user() const { return view(r_.user); }
  std::vector<std::string_view> groups() const {
    std::vector<std::string_view> g;
    for (size_t i = 0; i < r_.group_count; ++i) {
      g.push_back(view(r_.groups[i]));
    }
    return g;
  }
  // Case-insensitive header lookup.
  std::optional<std::string_view> header(std::string_view name) const {
    for (size_t i = 0; i < r_.header_count; ++i) {
      std::string_view n = view(r_.headers[i].name);
      if (n.size() == name.size() && equalsIgnoreCase(n, name)) {
        return view(r_.headers[i].value);
      }
    }
    return std::nullopt;
  }

 private:
  static bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    for (size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) {
        return false;
      }
    }
    return true;
  }

  const kmetrics_route_request& r_;
};

// Where a route writes its answer. Set status and headers before the first body write.
class RouteResponse {
 public:
  explicit RouteResponse(const kmetrics_route_response& r) : r_(r) {}

  void status(int code) const { r_.set_status(r_.host_ctx, code); }
  void header(std::string_view name, std::string_view value) const {
    r_.add_header(r_.host_ctx, toStr(name), toStr(value));
  }
  void write(std::string_view chunk) const { r_.write_body(r_.host_ctx, toStr(chunk)); }

  // Convenience: a complete answer with one body.
  void send(int code, std::string_view content_type, std::string_view body) const {
    status(code);
    header("Content-Type", content_type);
    write(body);
  }

 private:
  const kmetrics_route_response& r_;
};

// Implemented by a plugin object that serves routes; must outlive the plugin instance's routes.
class RouteHandler {
 public:
  virtual ~RouteHandler() = default;
  virtual void handle(const RouteRequest& request, const RouteResponse& response) = 0;
};

// An outgoing request built by a plugin.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t deadline_mono_ns = 0;
  kmetrics_http_profile profile = KMETRICS_HTTP_PROFILE_KUBELET;
};

// A response as the host delivered it. Borrowed: valid during the callback only.
class HttpResponseView {
 public:
  explicit HttpResponseView(const kmetrics_http_response& r) : r_(r) {}
  int status() const { return r_.status; }
  std::string_view body() const { return view(r_.body); }
  std::optional<std::string_view> header(std::string_view name) const {
    for (size_t i = 0; i < r_.header_count; ++i) {
      if (view(r_.headers[i].name) == name) {
        return view(r_.headers[i].value);
      }
    }
    return std::nullopt;
  }

 private:
  const kmetrics_http_response& r_;
};

}  // namespace kmetrics::sdk
