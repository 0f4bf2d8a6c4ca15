// Default plugin instances and the hand-over of host settings into plugin configs.
//
// - No sources configured → one source {type: kubelet, name: kubelet}.
// - No sinks configured   → one sink {type: metrics_api, name: metrics-api, config: {}}.
// - host.heapster_port > 0 and no heapster_api sink → add {type: heapster_api, name: heapster-api,
//   config: {port: N}}; with an explicit heapster_api sink, --heapster-port sets its config.port.
// - Every kubelet source's config = kubelet_source_config(kubelet section), overlaid with the instance's own
//   config keys, overlaid again with kubelet flags given on the command line (flags override the file).
// - An instance without a name is named after its type with '_' → '-'.
#pragma once

#include <nlohmann/json.hpp>

#include "config/config_error.hpp"
#include "config/host_config.hpp"
#include "config/provenance.hpp"

namespace kmetrics::config {

// The kubelet section as the kubelet source receives it, e.g.
// {"port":10250,"use_node_status_port":false,"preferred_address_types":["Hostname",...],
//  "insecure_tls":false,"certificate_authority":"","client_certificate":"","client_key":"",
//  "request_timeout":"10s","completely_insecure":false,"endpoint":"resource"}
nlohmann::json kubelet_source_config(const KubeletClientConfig& k);

// Reads the kubelet keys back from a source config (keys with other types are left to the plugin to report).
KubeletClientConfig kubelet_config_from_json(const nlohmann::json& j, KubeletClientConfig base);

// Applies the rules above to cfg.sources / cfg.sinks.
void resolve_plugin_instances(HostConfig& cfg, const Provenance& prov);

}  // namespace kmetrics::config
