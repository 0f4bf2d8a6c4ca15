// Which handler answers a path on a listener: plugins register C handlers through the host table's
// route_register, the host registers its own (health, /metrics) as C++ functions. The longest
// registered prefix of the request path wins (plain string prefixes, as the ABI states).
// ResponseBuffer is the kmetrics_route_response a handler writes into; it is sent after the
// handler returns, with a Content-Length.
// THREADING: RouteRegistry is thread-safe (registration is rare, lookups are concurrent).
// A ResponseBuffer belongs to one request and one thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kmetrics/abi.h>

namespace kmetrics {

using RouteFn = std::function<void(const kmetrics_route_request& request, const kmetrics_route_response& response)>;

class RouteRegistry {
 public:
  // A plugin route. KMETRICS_ERR_INVALID_ARGUMENT when the prefix does not start with '/', the
  // handler is null, or the (listener, prefix) pair is taken; `error` says which.
  kmetrics_status add(kmetrics_listener listener, std::string_view prefix, kmetrics_route_handler handler,
                      void* plugin_user, std::string* error = nullptr);
  // A host route.
  kmetrics_status add(kmetrics_listener listener, std::string_view prefix, RouteFn fn, std::string* error = nullptr);

  // The handler of the longest matching prefix, or nullopt.
  std::optional<RouteFn> find(kmetrics_listener listener, std::string_view path) const;
  // Registered prefixes of a listener, sorted (for logs and tests).
  std::vector<std::string> prefixes(kmetrics_listener listener) const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::pair<int, std::string>, RouteFn> routes_;
};

class ResponseBuffer {
 public:
  explicit ResponseBuffer(std::size_t max_body_bytes = 64u << 20);
  ResponseBuffer(const ResponseBuffer&) = delete;
  ResponseBuffer& operator=(const ResponseBuffer&) = delete;

  const kmetrics_route_response& abi() const { return abi_; }

  int status() const { return status_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  const std::string& body() const { return body_; }
  bool overflowed() const { return overflowed_; }  // the handler wrote more than the limit

  // Host-side conveniences (same rules as the ABI calls).
  void set_status(int status);
  void add_header(std::string name, std::string value);
  void write(std::string_view chunk);

 private:
  kmetrics_route_response abi_{};
  std::size_t max_body_;
  int status_ = 200;
  bool body_started_ = false;
  bool overflowed_ = false;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string body_;
};

// Owns the strings a kmetrics_route_request points into.
struct RouteRequestData {
  std::string method, path, query, user;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> groups;

  // Valid while this object lives and is not modified.
  kmetrics_route_request abi();

 private:
  std::vector<kmetrics_header> header_views_;
  std::vector<kmetrics_str> group_views_;
};

}  // namespace kmetrics
