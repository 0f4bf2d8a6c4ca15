// The SDK conformance suite on the metrics_api sink: linked in, and through the host's loader.
#include "kmetrics/testing/conformance_loaded.hpp"

#include "metrics_api_sink.hpp"

KMETRICS_CONFORMANCE_LINKED(MetricsApiLinked, kmetrics::metrics_api::MetricsApiSink, "metrics_api");
KMETRICS_CONFORMANCE_LOADED(MetricsApiLoaded, KMETRICS_PLUGIN_FILE, "metrics_api");
