// Kubernetes `Status` error bodies exactly as kube-apiserver writes them (field order kind,
// apiVersion, metadata, status, message, reason, details, code), plus Go's %q quoting used in
// its messages.
// THREADING: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace kmetrics {

struct HttpError {
  int code = 500;
  std::string body;  // application/json
};

// {"kind":"Status",...,"message":"Unauthorized","reason":"Unauthorized","code":401}
HttpError status_unauthorized();
// 403 "forbidden"; `group`/`resource`/`name` go to details and the message prefix as NewForbidden.
HttpError status_forbidden(std::string_view group, std::string_view resource, std::string_view name,
                           std::string_view message);
// 404 "the server could not find the requested resource".
HttpError status_not_found();
// 429 "Too many requests, please try again later." with details.retryAfterSeconds.
HttpError status_too_many_requests(int retry_after_seconds);
// 500 InternalError: "Internal error occurred: <message>".
HttpError status_internal_error(std::string_view message);

// Go's strconv.Quote for the common cases (quotes, backslashes, control characters).
std::string go_quote(std::string_view s);

}  // namespace kmetrics
