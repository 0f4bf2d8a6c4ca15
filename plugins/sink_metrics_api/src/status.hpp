// Kubernetes metav1.Status error bodies, worded as metrics-server and the apiserver word them.
#pragma once

#include <string>
#include <string_view>

namespace kmetrics::metrics_api {

struct StatusError {
  int code;
  std::string body;  // JSON
};

// 404 with details {name, group, kind}; message `<kind>.<group> "<name>" not found` or
// `<kind> "<name>" not found` when group is empty.
StatusError notFound(std::string_view group, std::string_view kind, std::string_view name);
StatusError badRequest(std::string_view message);
StatusError methodNotAllowed(std::string_view group, std::string_view kind);
StatusError notAcceptable();
StatusError internalError(std::string_view message);
// 404 for a path this server does not serve.
StatusError pathNotFound();

}  // namespace kmetrics::metrics_api
