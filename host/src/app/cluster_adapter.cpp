#include "app/cluster_adapter.hpp"

#include "cluster/abi_view.hpp"

namespace kmetrics {

void ClusterAdapter::forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const {
  const auto snapshot = view_.snapshot();  // keeps every object alive for the iteration
  snapshot->for_each_node([&](const cluster::NodeInfo& n) {
    bool more = true;
    cluster::with_node_info(n, [&](const kmetrics_node_info& info) { more = fn(info); });
    return more;
  });
}

void ClusterAdapter::forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_info&)>& fn) const {
  const auto snapshot = view_.snapshot();
  snapshot->for_each_pod(ns, [&](const cluster::PodInfo& p) {
    bool more = true;
    cluster::with_pod_info(p, [&](const kmetrics_pod_info& info) { more = fn(info); });
    return more;
  });
}

}  // namespace kmetrics
