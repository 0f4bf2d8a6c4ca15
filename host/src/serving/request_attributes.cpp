#include "serving/request_attributes.hpp"

#include <vector>

#include "serving/http_headers.hpp"
#include "serving/status_response.hpp"

namespace kmetrics {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  // strings.Split(strings.Trim(path, "/"), "/")
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    auto slash = path.find('/', start);
    parts.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

// The value of `key` in a raw query, and whether it was present.
bool query_value(std::string_view query, std::string_view key, std::string& value) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      value = eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

// strconv.ParseBool
bool parse_bool_true(const std::string& v) { return v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True"; }

}  // namespace

RequestAttributes request_attributes(std::string_view method, std::string_view path, std::string_view raw_query) {
  RequestAttributes a;
  a.path = std::string(path);
  a.verb = to_lower(method);
  auto parts = split_path(path);
  if (parts.empty() || (parts[0] != "apis" && parts[0] != "api")) return a;
  std::size_t i = 1;
  if (parts[0] == "apis") {
    if (parts.size() < 3) return a;  // /apis, /apis/<group>: discovery, non-resource
    a.api_group = parts[i++];
  }
  if (parts.size() <= i) return a;
  a.api_version = parts[i++];
  if (parts.size() <= i) return a;  // /apis/<g>/<v>, /api/v1: discovery, non-resource

  a.resource_request = true;
  std::vector<std::string> rest(parts.begin() + static_cast<long>(i), parts.end());
  if (rest[0] == "namespaces" && rest.size() > 1) {
    a.namespace_ = rest[1];
    // /namespaces/<ns> (and its status/finalize) address the namespace object itself.
    if (rest.size() > 2 && rest[2] != "status" && rest[2] != "finalize") rest.erase(rest.begin(), rest.begin() + 2);
  }
  a.resource = rest[0];
  if (rest.size() >= 2) a.name = rest[1];
  if (rest.size() >= 3) a.subresource = rest[2];

  if (method == "GET" || method == "HEAD") a.verb = "get";
  else if (method == "POST") a.verb = "create";
  else if (method == "PUT") a.verb = "update";
  else if (method == "PATCH") a.verb = "patch";
  else if (method == "DELETE") a.verb = "delete";
  if (a.name.empty()) {
    if (a.verb == "get") {
      std::string watch;
      a.verb = query_value(raw_query, "watch", watch) && parse_bool_true(watch) ? "watch" : "list";
    } else if (a.verb == "delete") {
      a.verb = "deletecollection";
    }
  }
  return a;
}

std::string forbidden_message(const std::string& user, const RequestAttributes& a) {
  if (!a.resource_request) return "User " + go_quote(user) + " cannot " + a.verb + " path " + go_quote(a.path);
  std::string resource = a.resource;
  if (!a.subresource.empty()) resource += "/" + a.subresource;
  std::string head = "User " + go_quote(user) + " cannot " + a.verb + " resource " + go_quote(resource) +
                     " in API group " + go_quote(a.api_group);
  if (!a.namespace_.empty()) return head + " in the namespace " + go_quote(a.namespace_);
  return head + " at the cluster scope";
}

}  // namespace kmetrics
