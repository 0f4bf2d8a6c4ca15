// Template bodies of abi_view.hpp.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace kmetrics::cluster {

namespace abi_detail {
inline kmetrics_str ks(std::string_view s) { return kmetrics_str{s.data(), s.size()}; }

// N elements on the stack, more on the heap: these views are built once per pod of a full list, and
// objects have few labels and containers. Uninitialised: the caller writes every element it uses.
template <class T, size_t N>
class SmallArray {
 public:
  explicit SmallArray(size_t n) : data_(stack_) {
    if (n > N) {
      heap_.resize(n);
      data_ = heap_.data();
    }
  }
  SmallArray(const SmallArray&) = delete;
  SmallArray& operator=(const SmallArray&) = delete;
  T& operator[](size_t i) { return data_[i]; }
  const T* data() const { return data_; }

 private:
  T stack_[N];
  std::vector<T> heap_;
  T* data_;
};

template <size_t N>
struct LabelArray : SmallArray<kmetrics_label, N> {
  template <class L>  // Labels (a node's) or PodLabels
  explicit LabelArray(const L& in) : SmallArray<kmetrics_label, N>(in.size()) {
    for (size_t i = 0; i < in.size(); ++i) {
      const auto& [key, value] = in[i];
      (*this)[i] = {ks(key), ks(value)};
    }
  }
};
}  // namespace abi_detail

template <class Fn>
void with_node_info(const NodeInfo& node, Fn&& fn) {
  using abi_detail::ks;
  // Per-call arrays: nested callbacks get their own.
  const abi_detail::LabelArray<16> labels(node.labels);
  const abi_detail::LabelArray<16> annotations(node.annotations);
  abi_detail::SmallArray<kmetrics_node_address, 8> addresses(node.addresses.size());
  for (size_t i = 0; i < node.addresses.size(); ++i) {
    addresses[i] = {ks(node.addresses[i].type), ks(node.addresses[i].address)};
  }
  kmetrics_node_info info{};
  info.struct_size = sizeof info;
  info.name = ks(node.name);
  info.labels = labels.data();
  info.label_count = node.labels.size();
  info.annotations = annotations.data();
  info.annotation_count = node.annotations.size();
  info.addresses = addresses.data();
  info.address_count = node.addresses.size();
  info.kubelet_port = node.kubelet_port;
  info.ready = node.ready ? 1 : 0;
  fn(info);
}

template <class Fn>
void with_pod_info(const PodInfo& pod, Fn&& fn) {
  using abi_detail::ks;
  const PodLabels pod_labels = pod.labels();
  const PodContainers pod_containers = pod.containers();
  const abi_detail::LabelArray<8> labels(pod_labels);
  abi_detail::SmallArray<kmetrics_container_resources, 4> containers(pod_containers.size());
  for (size_t i = 0; i < pod_containers.size(); ++i) {
    const ContainerInfo c = pod_containers[i];
    containers[i] = {ks(c.name), static_cast<uint64_t>(c.cpu_request_millicores),
                     static_cast<uint64_t>(c.cpu_limit_millicores), static_cast<uint64_t>(c.memory_request_bytes),
                     static_cast<uint64_t>(c.memory_limit_bytes)};
  }
  kmetrics_pod_info info{};
  info.struct_size = sizeof info;
  info.pod_namespace = ks(pod.namespace_name());
  info.name = ks(pod.name());
  info.node = ks(pod.node_name());
  info.labels = labels.data();
  info.label_count = pod_labels.size();
  info.containers = containers.data();
  info.container_count = pod_containers.size();
  info.creation_unix_ns = pod.creation_unix_ns();
  fn(info);
}

}  // namespace kmetrics::cluster
