// Authorization attributes of a request, derived from its method, path and query exactly as
// k8s.io/apiserver's RequestInfoFactory does for /apis/<group>/<version>/... and /api/<version>/...
// (resource requests), and non-resource attributes (lowercased method + path) otherwise.
// THREADING: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace kmetrics {

struct RequestAttributes {
  bool resource_request = false;
  std::string verb;  // get | list | watch | create | ... (resource) or lowercased method (non-resource)
  std::string path;  // the request path (non-resource requests)
  std::string api_group, api_version, namespace_, resource, subresource, name;
};

RequestAttributes request_attributes(std::string_view method, std::string_view path, std::string_view raw_query);

// "User \"x\" cannot list resource \"pods\" in API group \"metrics.k8s.io\" in the namespace \"ns\""
// (responsewriters.forbiddenMessage).
std::string forbidden_message(const std::string& user, const RequestAttributes& attrs);

}  // namespace kmetrics
