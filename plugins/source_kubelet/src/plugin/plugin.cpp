// Library entry: the kubelet source.
#include <kmetrics/sdk.hpp>

#include "plugin/kubelet_source.hpp"

KMETRICS_PLUGIN("source_kubelet", "0.1.0",
                kmetrics::sdk::sourceComponent<kmetrics::kubelet::KubeletSource>(
                    {"kubelet", "0.1.0", "beta",
                     "Scrapes every node's kubelet (/metrics/resource, or the Summary API) once per tick.",
                     // It waits only in host.http(); its thread-local decoders are used inside the
                     // response callback only.
                     KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE},
                    KMETRICS_SCOPE_PER_NODE));
