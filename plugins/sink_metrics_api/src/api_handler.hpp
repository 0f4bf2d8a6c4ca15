// The metrics.k8s.io/v1beta1 API: routing, content negotiation, selectors, get and list of
// NodeMetrics and PodMetrics, discovery and OpenAPI — independent of the host so it is testable alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data_source.hpp"

namespace kmetrics::metrics_api {

struct ApiRequest {
  std::string_view method;
  std::string_view path;
  std::string_view query;   // raw, without '?'
  std::string_view accept;  // Accept header, may be empty
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<int64_t> item_timestamps_ns;  // of every served item, for the freshness histogram
};

ApiResponse handleRequest(const ApiRequest& request, DataSource& data);

// Decodes application/x-www-form-urlencoded query text into (key, value) pairs.
std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query);

}  // namespace kmetrics::metrics_api
