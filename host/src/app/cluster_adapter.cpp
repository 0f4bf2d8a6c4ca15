#include "app/cluster_adapter.hpp"

#include <vector>

namespace kmetrics {
namespace {

kmetrics_str str(const std::string& s) { return {s.data(), s.size()}; }

void labelViews(const cluster::Labels& labels, std::vector<kmetrics_label>& out) {
  out.clear();
  for (const auto& [k, v] : labels) out.push_back({str(k), str(v)});
}

}  // namespace

void ClusterAdapter::forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const {
  const auto snapshot = view_.snapshot();  // keeps every object alive for the iteration
  std::vector<kmetrics_label> labels, annotations;
  std::vector<kmetrics_node_address> addresses;
  snapshot->for_each_node([&](const cluster::NodeInfo& n) {
    labelViews(n.labels, labels);
    labelViews(n.annotations, annotations);
    addresses.clear();
    for (const auto& a : n.addresses) addresses.push_back({str(a.type), str(a.address)});
    kmetrics_node_info info{};
    info.struct_size = sizeof(info);
    info.name = str(n.name);
    info.labels = labels.data();
    info.label_count = labels.size();
    info.annotations = annotations.data();
    info.annotation_count = annotations.size();
    info.addresses = addresses.data();
    info.address_count = addresses.size();
    info.kubelet_port = n.kubelet_port;
    info.ready = n.ready ? 1 : 0;
    return fn(info);
  });
}

void ClusterAdapter::forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_info&)>& fn) const {
  const auto snapshot = view_.snapshot();
  std::vector<kmetrics_label> labels;
  std::vector<kmetrics_container_resources> containers;
  snapshot->for_each_pod(ns, [&](const cluster::PodInfo& p) {
    labelViews(p.labels, labels);
    containers.clear();
    for (const auto& c : p.containers) {
      containers.push_back({str(c.name), static_cast<uint64_t>(c.cpu_request_millicores),
                            static_cast<uint64_t>(c.cpu_limit_millicores), static_cast<uint64_t>(c.memory_request_bytes),
                            static_cast<uint64_t>(c.memory_limit_bytes)});
    }
    kmetrics_pod_info info{};
    info.struct_size = sizeof(info);
    info.pod_namespace = str(p.namespace_name);
    info.name = str(p.name);
    info.node = str(p.node_name);
    info.labels = labels.data();
    info.label_count = labels.size();
    info.containers = containers.data();
    info.container_count = containers.size();
    info.creation_unix_ns = p.creation_unix_ns;
    return fn(info);
  });
}

}  // namespace kmetrics
