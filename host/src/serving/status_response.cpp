#include "serving/status_response.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace kmetrics {
namespace {

using ordered = nlohmann::ordered_json;

ordered status_base(std::string_view message, std::string_view reason) {
  ordered s;
  s["kind"] = "Status";
  s["apiVersion"] = "v1";
  s["metadata"] = ordered::object();
  s["status"] = "Failure";
  s["message"] = std::string(message);
  s["reason"] = std::string(reason);
  return s;
}

std::string dump(const ordered& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

HttpError status_unauthorized() {
  ordered s = status_base("Unauthorized", "Unauthorized");
  s["code"] = 401;
  return {401, dump(s)};
}

HttpError status_forbidden(std::string_view group, std::string_view resource, std::string_view name,
                           std::string_view message) {
  // apierrors.NewForbidden: the qualified resource prefixes the message when known.
  std::string qualified(resource);
  if (!group.empty() && !resource.empty()) qualified += "." + std::string(group);
  std::string text;
  if (resource.empty() && group.empty())
    text = "forbidden: " + std::string(message);
  else if (name.empty())
    text = qualified + " is forbidden: " + std::string(message);
  else
    text = qualified + " " + go_quote(name) + " is forbidden: " + std::string(message);
  ordered s = status_base(text, "Forbidden");
  ordered details = ordered::object();
  if (!name.empty()) details["name"] = std::string(name);
  if (!group.empty()) details["group"] = std::string(group);
  if (!resource.empty()) details["kind"] = std::string(resource);
  s["details"] = details;
  s["code"] = 403;
  return {403, dump(s)};
}

HttpError status_not_found() {
  ordered s = status_base("the server could not find the requested resource", "NotFound");
  s["details"] = ordered::object();
  s["code"] = 404;
  return {404, dump(s)};
}

HttpError status_too_many_requests(int retry_after_seconds) {
  ordered s = status_base("Too many requests, please try again later.", "TooManyRequests");
  s["details"] = {{"retryAfterSeconds", retry_after_seconds}};
  s["code"] = 429;
  return {429, dump(s)};
}

HttpError status_internal_error(std::string_view message) {
  ordered s = status_base("Internal error occurred: " + std::string(message), "InternalError");
  s["details"] = {{"causes", ordered::array({{{"message", std::string(message)}}})}};
  s["code"] = 500;
  return {500, dump(s)};
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace kmetrics
