// Template bodies of abi_view.hpp.
#pragma once

#include <string_view>
#include <vector>

namespace kmetrics::cluster {

namespace abi_detail {
inline kmetrics_str ks(std::string_view s) { return kmetrics_str{s.data(), s.size()}; }
inline void fill_labels(const Labels& in, std::vector<kmetrics_label>& out) {
  out.clear();
  out.reserve(in.size());
  for (const auto& [k, v] : in) out.push_back({ks(k), ks(v)});
}
}  // namespace abi_detail

template <class Fn>
void with_node_info(const NodeInfo& node, Fn&& fn) {
  using abi_detail::ks;
  // Small per-call vectors: nested callbacks get their own, and nodes have few labels.
  std::vector<kmetrics_label> labels, annotations;
  std::vector<kmetrics_node_address> addresses;
  abi_detail::fill_labels(node.labels, labels);
  abi_detail::fill_labels(node.annotations, annotations);
  addresses.reserve(node.addresses.size());
  for (const auto& a : node.addresses) addresses.push_back({ks(a.type), ks(a.address)});
  kmetrics_node_info info{};
  info.struct_size = sizeof info;
  info.name = ks(node.name);
  info.labels = labels.data();
  info.label_count = labels.size();
  info.annotations = annotations.data();
  info.annotation_count = annotations.size();
  info.addresses = addresses.data();
  info.address_count = addresses.size();
  info.kubelet_port = node.kubelet_port;
  info.ready = node.ready ? 1 : 0;
  fn(info);
}

template <class Fn>
void with_pod_info(const PodInfo& pod, Fn&& fn) {
  using abi_detail::ks;
  std::vector<kmetrics_label> labels;
  std::vector<kmetrics_container_resources> containers;
  abi_detail::fill_labels(pod.labels, labels);
  containers.reserve(pod.containers.size());
  for (const auto& c : pod.containers) {
    containers.push_back({ks(c.name), static_cast<uint64_t>(c.cpu_request_millicores),
                          static_cast<uint64_t>(c.cpu_limit_millicores), static_cast<uint64_t>(c.memory_request_bytes),
                          static_cast<uint64_t>(c.memory_limit_bytes)});
  }
  kmetrics_pod_info info{};
  info.struct_size = sizeof info;
  info.pod_namespace = ks(pod.namespace_name);
  info.name = ks(pod.name);
  info.node = ks(pod.node_name);
  info.labels = labels.data();
  info.label_count = labels.size();
  info.containers = containers.data();
  info.container_count = containers.size();
  info.creation_unix_ns = pod.creation_unix_ns;
  fn(info);
}

}  // namespace kmetrics::cluster
