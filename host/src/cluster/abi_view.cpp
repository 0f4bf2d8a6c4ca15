#include "cluster/abi_view.hpp"

namespace kmetrics::cluster {

kmetrics_status abi_for_each_node(const ClusterSnapshot& snapshot, void* user,
                                  int (*fn)(void*, const kmetrics_node_info*)) {
  if (fn == nullptr) return KMETRICS_ERR_INVALID_ARGUMENT;
  snapshot.for_each_node([&](const NodeInfo& n) {
    int stop = 0;
    with_node_info(n, [&](const kmetrics_node_info& info) { stop = fn(user, &info); });
    return stop == 0;
  });
  return KMETRICS_OK;
}

kmetrics_status abi_for_each_pod(const ClusterSnapshot& snapshot, kmetrics_str pod_namespace, void* user,
                                 int (*fn)(void*, const kmetrics_pod_info*)) {
  if (fn == nullptr) return KMETRICS_ERR_INVALID_ARGUMENT;
  std::string_view ns = pod_namespace.ptr != nullptr ? std::string_view(pod_namespace.ptr, pod_namespace.len)
                                                     : std::string_view();
  snapshot.for_each_pod(ns, [&](const PodInfo& p) {
    int stop = 0;
    with_pod_info(p, [&](const kmetrics_pod_info& info) { stop = fn(user, &info); });
    return stop == 0;
  });
  return KMETRICS_OK;
}

}  // namespace kmetrics::cluster
