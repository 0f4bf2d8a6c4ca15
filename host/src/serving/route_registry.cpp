#include "serving/route_registry.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace kmetrics {
namespace {

kmetrics_str view(const std::string& s) { return kmetrics_str{s.data(), s.size()}; }
std::string_view sv(kmetrics_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }

bool header_name_ok(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c <= 32 || c >= 127 || c == ':') return false;
  return true;
}

bool header_value_ok(std::string_view value) {
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

}  // namespace

kmetrics_status RouteRegistry::add(kmetrics_listener listener, std::string_view prefix, kmetrics_route_handler handler,
                                   void* plugin_user, std::string* error) {
  if (handler == nullptr) {
    if (error) *error = "route handler is null";
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  return add(
      listener, prefix,
      [handler, plugin_user](const kmetrics_route_request& req, const kmetrics_route_response& resp) {
        handler(plugin_user, &req, &resp);
      },
      error);
}

kmetrics_status RouteRegistry::add(kmetrics_listener listener, std::string_view prefix, RouteFn fn, std::string* error) {
  if (listener != KMETRICS_LISTENER_SECURE && listener != KMETRICS_LISTENER_HEAPSTER) {
    if (error) *error = "unknown listener " + std::to_string(static_cast<int>(listener));
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  if (prefix.empty() || prefix.front() != '/') {
    if (error) *error = "route prefix must start with '/': \"" + std::string(prefix) + "\"";
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  if (!fn) {
    if (error) *error = "route handler is empty";
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = routes_.emplace(std::make_pair(static_cast<int>(listener), std::string(prefix)), std::move(fn));
  if (!inserted) {
    if (error) *error = "route prefix \"" + std::string(prefix) + "\" is already registered on this listener";
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  return KMETRICS_OK;
}

std::optional<RouteFn> RouteRegistry::find(kmetrics_listener listener, std::string_view path) const {
  std::shared_lock lock(mu_);
  // Try the path and each shorter prefix, longest first: at most |path|+1 map lookups.
  std::string probe(path);
  while (true) {
    auto it = routes_.find(std::make_pair(static_cast<int>(listener), probe));
    if (it != routes_.end()) return it->second;
    if (probe.empty()) return std::nullopt;
    probe.pop_back();
  }
}

std::vector<std::string> RouteRegistry::prefixes(kmetrics_listener listener) const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [key, fn] : routes_)
    if (key.first == static_cast<int>(listener)) out.push_back(key.second);
  return out;
}

ResponseBuffer::ResponseBuffer(std::size_t max_body_bytes) : max_body_(max_body_bytes) {
  abi_.struct_size = sizeof(abi_);
  abi_.host_ctx = this;
  abi_.set_status = [](void* ctx, int32_t status) { static_cast<ResponseBuffer*>(ctx)->set_status(status); };
  abi_.add_header = [](void* ctx, kmetrics_str name, kmetrics_str value) {
    static_cast<ResponseBuffer*>(ctx)->add_header(std::string(sv(name)), std::string(sv(value)));
  };
  abi_.write_body = [](void* ctx, kmetrics_str chunk) { static_cast<ResponseBuffer*>(ctx)->write(sv(chunk)); };
}

void ResponseBuffer::set_status(int status) {
  // After the body started the status is fixed, as with a streamed response.
  if (body_started_ || status < 100 || status > 599) return;
  status_ = status;
}

void ResponseBuffer::add_header(std::string name, std::string value) {
  if (body_started_ || headers_.size() >= 100) return;
  // Refuse what would let a handler split the response or fight the host's framing.
  if (!header_name_ok(name) || !header_value_ok(value)) return;
  if (name.size() == 14 && std::equal(name.begin(), name.end(), "Content-Length",
                                      [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
    return;
  headers_.emplace_back(std::move(name), std::move(value));
}

void ResponseBuffer::write(std::string_view chunk) {
  body_started_ = true;
  if (overflowed_) return;
  if (body_.size() + chunk.size() > max_body_) {
    overflowed_ = true;
    return;
  }
  body_.append(chunk);
}

kmetrics_route_request RouteRequestData::abi() {
  header_views_.clear();
  for (const auto& [n, v] : headers) header_views_.push_back(kmetrics_header{view(n), view(v)});
  group_views_.clear();
  for (const auto& g : groups) group_views_.push_back(view(g));
  kmetrics_route_request r{};
  r.struct_size = sizeof(r);
  r.method = view(method);
  r.path = view(path);
  r.query = view(query);
  r.headers = header_views_.data();
  r.header_count = header_views_.size();
  r.user = view(user);
  r.groups = group_views_.data();
  r.group_count = group_views_.size();
  return r;
}

}  // namespace kmetrics
