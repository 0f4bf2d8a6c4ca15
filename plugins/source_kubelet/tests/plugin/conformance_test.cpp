// The SDK conformance suite on the kubelet source: linked in, and through the host's loader.
#include "kmetrics/testing/conformance_loaded.hpp"

#include "plugin/kubelet_source.hpp"

KMETRICS_CONFORMANCE_LINKED(KubeletLinked, kmetrics::kubelet::KubeletSource, "kubelet");
KMETRICS_CONFORMANCE_LOADED(KubeletLoaded, KMETRICS_PLUGIN_FILE, "kubelet");
