#include "app/cluster_adapter.hpp"

#include "cluster/abi_view.hpp"

namespace kmetrics {

void ClusterAdapter::forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const {
  const auto snapshot = snapshot_();  // keeps every object alive for the iteration
  snapshot->for_each_node([&](const cluster::NodeInfo& n) {
    bool more = true;
    cluster::with_node_info(n, [&](const kmetrics_node_info& info) { more = fn(info); });
    return more;
  });
}

namespace {
// Adapts fn(const kmetrics_pod_info&) -> bool to the snapshot's fn(const PodInfo&) -> bool.
auto podVisitor(const std::function<bool(const kmetrics_pod_info&)>& fn) {
  return [&fn](const cluster::PodInfo& p) {
    bool more = true;
    cluster::with_pod_info(p, [&](const kmetrics_pod_info& info) { more = fn(info); });
    return more;
  };
}
}  // namespace

void ClusterAdapter::forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_info&)>& fn) const {
  const auto snapshot = snapshot_();
  snapshot->for_each_pod(ns, podVisitor(fn));
}

bool ClusterAdapter::findNode(std::string_view name, const std::function<void(const kmetrics_node_info&)>& fn) const {
  const auto snapshot = snapshot_();
  const cluster::NodeInfo* n = snapshot->find_node(name);
  if (n == nullptr) return false;
  cluster::with_node_info(*n, fn);
  return true;
}

bool ClusterAdapter::findPod(std::string_view ns, std::string_view name,
                             const std::function<void(const kmetrics_pod_info&)>& fn) const {
  const auto snapshot = snapshot_();
  const cluster::PodInfo* p = snapshot->find_pod(ns, name);
  if (p == nullptr) return false;
  cluster::with_pod_info(*p, fn);
  return true;
}

void ClusterAdapter::forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                                         const std::function<bool(const kmetrics_pod_info&)>& fn) const {
  const auto snapshot = snapshot_();
  snapshot->for_each_pod_with_label(ns, key, value, podVisitor(fn));
}

}  // namespace kmetrics
