// The cluster-view host services of kmetrics_host_api (cluster_for_each_node / _pod) over a
// ClusterSnapshot: builds the borrowed kmetrics_node_info / kmetrics_pod_info views, valid only
// during each callback. The host's table entries forward here with view.snapshot().
// Thread-safety: any number of threads; the snapshot is immutable and no lock is held while the
// plugin callback runs (nested calls from inside a callback are fine).
#pragma once

#include <kmetrics/abi.h>

#include "cluster/cluster_snapshot.hpp"

namespace kmetrics::cluster {

kmetrics_status abi_for_each_node(const ClusterSnapshot& snapshot, void* user,
                                  int (*fn)(void* user, const kmetrics_node_info* node));
// `pod_namespace` empty: all namespaces.
kmetrics_status abi_for_each_pod(const ClusterSnapshot& snapshot, kmetrics_str pod_namespace, void* user,
                                 int (*fn)(void* user, const kmetrics_pod_info* pod));

// The single-object views, for hosts that look objects up themselves.
template <class Fn>
void with_node_info(const NodeInfo& node, Fn&& fn);
template <class Fn>
void with_pod_info(const PodInfo& pod, Fn&& fn);

}  // namespace kmetrics::cluster

#include "cluster/abi_view_inl.hpp"
