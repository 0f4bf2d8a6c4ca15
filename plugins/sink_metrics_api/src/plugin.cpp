// Library entry: the metrics.k8s.io/v1beta1 aggregated API sink.
#include <kmetrics/sdk.hpp>

#include "metrics_api_sink.hpp"

KMETRICS_PLUGIN("sink_metrics_api", "0.1.0",
                kmetrics::sdk::querySinkComponent<kmetrics::metrics_api::MetricsApiSink>(
                    {"metrics_api", "0.1.0", "beta",
                     "Serves metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics) for kubectl top and the HPA."}));
