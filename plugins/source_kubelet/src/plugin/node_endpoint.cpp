#include "plugin/node_endpoint.hpp"

namespace kmetrics::kubelet {

std::optional<std::string> resolveAddress(const sdk::NodeView& node, const std::vector<std::string>& types,
                                          std::string* error) {
  for (const auto& type : types) {
    if (auto a = node.address(type); a && !a->empty()) {
      return std::string(*a);
    }
  }
  std::string list;
  for (const auto& t : types) {
    list += (list.empty() ? "" : " ") + t;
  }
  *error = "no address matched types [" + list + "]";
  return std::nullopt;
}

std::optional<std::string> baseUrl(const sdk::NodeView& node, const EndpointOptions& options, std::string* error) {
  auto address = resolveAddress(node, options.preferred_address_types, error);
  if (!address) {
    return std::nullopt;
  }
  int port = options.port;
  if (options.use_node_status_port && node.kubeletPort() > 0) {
    port = node.kubeletPort();
  }
  const bool ipv6 = address->find(':') != std::string::npos;
  return std::string(options.plain_http ? "http://" : "https://") + (ipv6 ? "[" + *address + "]" : *address) + ":" +
         std::to_string(port);
}

std::string resourceMetricsPath(const sdk::NodeView& node) {
  if (auto p = node.annotation("metrics.k8s.io/resource-metrics-path"); p && !p->empty()) {
    return (p->front() == '/' ? "" : "/") + std::string(*p);
  }
  return "/metrics/resource";
}

}  // namespace kmetrics::kubelet
