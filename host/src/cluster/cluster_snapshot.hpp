// An immutable view of the cluster at one moment: the nodes the --node-selector lets through and the
// running pods. Obtained from ClusterView::snapshot(); hold the shared_ptr for as long as you read.
//
// Layout (why): pods live in kPodShards shards by hash(namespace/name), each an immutable sorted
// vector of PodPtr. Publishing a new snapshot rebuilds only the shards that
// changed and shares the others with the previous snapshot, so one pod event in a 150,000-pod
// cluster copies ~600 pointers, not 150,000 pods. Nodes (<= 5,000) are one sorted vector, rebuilt
// only when a node changed. Events are additionally batched: at most one publication per
// publish interval (200 ms by default).
//
// Indexes, rebuilt with their shard (8 bytes per entry, no strings copied): `keys` holds one
// {32-bit hash of (namespace, name), position in the shard} per pod, so find_pod binary-searches a
// compact array and touches one pod instead of ~10 scattered ones. `labels` holds one
// {32-bit hash of (key, value), position} per (pod, label) for the HPA's
// `namespaces/NS/pods?labelSelector=app=x`: a lookup binary-searches the hash in every shard; within
// one hash the entries are ordered by position, i.e. by (namespace, name), so a namespace narrows
// them by a second binary search. Candidates are always compared with the pod (hash collisions).
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
  using PodPtr = cluster::PodPtr;  // intrusive, 8 bytes (pod_info.hpp)
  using NodeList = std::vector<NodePtr>;  // sorted by name

  // One entry of a shard index: sorted by (hash, position).
  struct IndexEntry {
    uint32_t hash;
    uint32_t position;  // index of the pod in PodShard::pods
  };
  struct PodShard {
    std::vector<PodPtr> pods;         // sorted by (namespace, name)
    std::vector<IndexEntry> keys;     // hash: key_hash(namespace, name)
    std::vector<IndexEntry> labels;   // hash: label_hash(key, value), one per label of each pod
    // Rebuilds `keys` and `labels` from `pods` (call after sorting pods).
    void build_indexes();
  };
  // The hashes the indexes are keyed by; stable within a process.
  static uint32_t key_hash(std::string_view namespace_name, std::string_view name);
  static uint32_t label_hash(std::string_view key, std::string_view value);

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
      auto [b, e] = namespace_range(shard->pods, namespace_name);
      for (auto it = b; it != e; ++it) {
        if (!fn(**it)) return;
      }
    }
  }
  // Pods of a namespace (empty: all) that have the label `key` with exactly `value`, through the
  // label index (no scan). fn(const PodInfo&) -> bool: false stops. Order as for_each_pod.
  template <class Fn>
  void for_each_pod_with_label(std::string_view namespace_name, std::string_view key, std::string_view value,
                               Fn&& fn) const {
    const uint32_t hash = label_hash(key, value);
    for (const auto& shard : pod_shards_) {
      auto [b, e] = label_range(*shard, namespace_name, hash);
      for (auto it = b; it != e; ++it) {
        const PodInfo& pod = *shard->pods[it->position];
        const auto v = find_label(pod.labels(), key);
        if (!v || *v != value) continue;  // another label with the same hash
        if (!fn(pod)) return;
      }
    }
  }
  // Pods of a namespace (empty: all) whose labels match `selector`.
  template <class Fn>
  void for_each_pod_matching(std::string_view namespace_name, const LabelSelector& selector, Fn&& fn) const {
    for_each_pod(namespace_name, [&](const PodInfo& p) { return selector.matches(p.labels()) ? fn(p) : true; });
  }
  // Pods scheduled on one node (a scan; kubelet sources get the node's pods from the kubelet itself).
  std::vector<const PodInfo*> pods_on_node(std::string_view node_name) const;

 private:
  friend class ClusterState;
  using ShardIt = std::vector<PodPtr>::const_iterator;
  using IndexIt = std::vector<IndexEntry>::const_iterator;
  static std::pair<ShardIt, ShardIt> namespace_range(const std::vector<PodPtr>& pods, std::string_view ns);
  // Index entries of `hash` whose pods are in namespace `ns` (empty: any).
  static std::pair<IndexIt, IndexIt> label_range(const PodShard& shard, std::string_view ns, uint32_t hash);

  std::shared_ptr<const NodeList> nodes_ = std::make_shared<const NodeList>();
  std::array<std::shared_ptr<const PodShard>, kPodShards> pod_shards_;
  size_t pod_count_ = 0;
  bool nodes_synced_ = false;
  bool pods_synced_ = false;
  uint64_t generation_ = 0;

 public:
  ClusterSnapshot();  // empty, not synced
};

// Hash of a pod key; its low bits pick the shard, its high bits are ClusterSnapshot::key_hash.
uint64_t pod_key_hash(std::string_view namespace_name, std::string_view name);
// Shard of a pod key; stable within a process.
size_t pod_shard_of(std::string_view namespace_name, std::string_view name);

}  // namespace kmetrics::cluster
