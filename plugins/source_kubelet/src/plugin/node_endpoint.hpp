// Where to reach a node's kubelet: address by --kubelet-preferred-address-types, port by
// --kubelet-port or the node's status port, path by the metrics.k8s.io/resource-metrics-path annotation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kmetrics/sdk/cluster.hpp>

namespace kmetrics::kubelet {

struct EndpointOptions {
  std::vector<std::string> preferred_address_types;
  int port = 10250;
  bool use_node_status_port = false;
  bool plain_http = false;  // --deprecated-kubelet-completely-insecure
};

// metrics-server's address resolver: the first address type in preference order that the node has.
// Returns nullopt and sets `error` ("no address matched types [InternalIP]") when none matches.
std::optional<std::string> resolveAddress(const sdk::NodeView& node, const std::vector<std::string>& types,
                                          std::string* error);

// "https://10.0.0.1:10250" or "https://[fd00::1]:10250", without a path.
std::optional<std::string> baseUrl(const sdk::NodeView& node, const EndpointOptions& options, std::string* error);

// The /metrics/resource path: the node annotation overrides the default.
std::string resourceMetricsPath(const sdk::NodeView& node);

}  // namespace kmetrics::kubelet
