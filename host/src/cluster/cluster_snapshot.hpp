// An immutable view of the cluster at one moment: the nodes the --node-selector lets through and the
// running pods. Obtained from ClusterView::snapshot(); hold the shared_ptr for as long as you read.
//
// Layout (why): pods live in kPodShards shards by hash(namespace/name), each an immutable sorted
// vector of shared_ptr<const PodInfo>. Publishing a new snapshot rebuilds only the shards that
// changed and shares the others with the previous snapshot, so one pod event in a 150,000-pod
// cluster copies ~600 pointers, not 150,000 pods. Nodes (<= 5,000) are one sorted vector, rebuilt
// only when a node changed. Events are additionally batched: at most one publication per
// publish interval (200 ms by default).
//
// Thread-safety: a snapshot is immutable; any number of threads may read it at once. Pointers and
// references it hands out stay valid while the snapshot is alive.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "cluster/cluster_types.hpp"
#include "cluster/label_selector.hpp"

namespace kmetrics::cluster {

class ClusterSnapshot {
 public:
  static constexpr size_t kPodShards = 256;
  using NodePtr = std::shared_ptr<const NodeInfo>;
  using PodPtr = std::shared_ptr<const PodInfo>;
  using NodeList = std::vector<NodePtr>;  // sorted by name
  using PodShard = std::vector<PodPtr>;   // sorted by (namespace, name)

  // True once the first node list and the first pod list were both applied.
  bool synced() const { return nodes_synced_ && pods_synced_; }
  bool nodes_synced() const { return nodes_synced_; }
  bool pods_synced() const { return pods_synced_; }
  uint64_t generation() const { return generation_; }  // increases with every publication

  size_t node_count() const { return nodes_->size(); }
  size_t pod_count() const { return pod_count_; }

  // nullptr when absent or filtered out by the node selector.
  const NodeInfo* find_node(std::string_view name) const;
  const NodeInfo* find_node(std::string_view name, NodePtr* keep) const;  // also hands out ownership
  // fn(const NodeInfo&) -> bool: false stops. Sorted by name.
  template <class Fn>
  void for_each_node(Fn&& fn) const {
    for (const auto& n : *nodes_) {
      if (!fn(*n)) return;
    }
  }
  const NodeList& nodes() const { return *nodes_; }

  const PodInfo* find_pod(std::string_view namespace_name, std::string_view name) const;
  // All pods (namespace_name empty) or one namespace; fn(const PodInfo&) -> bool: false stops.
  // Order: by shard, then (namespace, name) within a shard — sort the results if you need order.
  template <class Fn>
  void for_each_pod(std::string_view namespace_name, Fn&& fn) const {
    for (const auto& shard : pod_shards_) {
      auto [b, e] = namespace_range(*shard, namespace_name);
      for (auto it = b; it != e; ++it) {
        if (!fn(**it)) return;
      }
    }
  }
  // Pods of a namespace (empty: all) whose labels match `selector`.
  template <class Fn>
  void for_each_pod_matching(std::string_view namespace_name, const LabelSelector& selector, Fn&& fn) const {
    for_each_pod(namespace_name, [&](const PodInfo& p) { return selector.matches(p.labels) ? fn(p) : true; });
  }
  // Pods scheduled on one node (a scan; kubelet sources get the node's pods from the kubelet itself).
  std::vector<const PodInfo*> pods_on_node(std::string_view node_name) const;

 private:
  friend class ClusterState;
  using ShardIt = PodShard::const_iterator;
  static std::pair<ShardIt, ShardIt> namespace_range(const PodShard& shard, std::string_view ns);

  std::shared_ptr<const NodeList> nodes_ = std::make_shared<const NodeList>();
  std::array<std::shared_ptr<const PodShard>, kPodShards> pod_shards_;
  size_t pod_count_ = 0;
  bool nodes_synced_ = false;
  bool pods_synced_ = false;
  uint64_t generation_ = 0;

 public:
  ClusterSnapshot();  // empty, not synced
};

// Shard of a pod key; stable within a process.
size_t pod_shard_of(std::string_view namespace_name, std::string_view name);

}  // namespace kmetrics::cluster
