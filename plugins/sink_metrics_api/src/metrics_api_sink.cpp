#include "metrics_api_sink.hpp"

#include <cmath>

#include "api_handler.hpp"
#include "host_data_source.hpp"

namespace kmetrics::metrics_api {

void MetricsApiSink::describe(sdk::ConfigSpec<Config>& spec) {
  spec.field("serve_openapi", &Config::serve_openapi, "Serve the OpenAPI v2 and v3 documents under /openapi.");
}

MetricsApiSink::MetricsApiSink(const sdk::Context& ctx, Config config) : host_(ctx.host), config_(config) {
  // metrics-server's ExponentialBuckets(1, 1.364, 20).
  std::vector<double> buckets;
  for (int i = 0; i < 20; ++i) {
    buckets.push_back(std::pow(1.364, i));
  }
  freshness_ = host_.registerMetric(KMETRICS_METRIC_HISTOGRAM, "metrics_server_api_metric_freshness_seconds",
                                    "[ALPHA] Freshness of metrics exported", {}, buckets);
}

sdk::Status MetricsApiSink::start() {
  for (const char* prefix : {"/apis", "/openapi"}) {
    if (!config_.serve_openapi && std::string_view(prefix) == "/openapi") {
      continue;
    }
    auto st = host_.route(KMETRICS_LISTENER_SECURE, prefix, this);
    if (!st.isOk()) {
      return st;
    }
  }
  return sdk::Status::ok();
}

void MetricsApiSink::handle(const sdk::RouteRequest& request, const sdk::RouteResponse& response) {
  HostDataSource data(host_);
  ApiRequest req{request.method(), request.path(), request.query(), request.header("Accept").value_or("")};
  ApiResponse resp = handleRequest(req, data);
  const int64_t now = host_.nowUnixNs();
  for (int64_t ts : resp.item_timestamps_ns) {
    freshness_.record(static_cast<double>(now - ts) / 1e9);
  }
  response.status(resp.status);
  response.header("Content-Type", resp.content_type);
  response.header("Cache-Control", "no-cache, private");
  if (request.method() != "HEAD") {
    response.write(resp.body);
  }
}

}  // namespace kmetrics::metrics_api
