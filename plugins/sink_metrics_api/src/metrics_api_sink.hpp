// The metrics.k8s.io/v1beta1 query sink: registers its routes on the host's secure listener and
// answers every request from the cluster view and the current snapshot.
#pragma once

#include <kmetrics/sdk.hpp>

namespace kmetrics::metrics_api {

class MetricsApiSink : public sdk::QuerySink, public sdk::RouteHandler {
 public:
  struct Config {
    bool serve_openapi = true;
  };
  static void describe(sdk::ConfigSpec<Config>& spec);

  MetricsApiSink(const sdk::Context& ctx, Config config);
  sdk::Status start() override;
  void handle(const sdk::RouteRequest& request, const sdk::RouteResponse& response) override;

 private:
  sdk::Host host_;
  Config config_;
  sdk::Metric freshness_;
};

}  // namespace kmetrics::metrics_api
