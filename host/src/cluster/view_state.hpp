// The writer side of the cluster view: the current nodes and running pods as the watches report
// them, plus dirty marks, from which publish() derives the next immutable ClusterSnapshot (sharing
// every unchanged shard with the previous one). Internal to kmetrics_cluster.
//
// Pods are not kept twice: the last snapshot's sorted shard vectors are the writer's truth too. The
// first change to a shard after a publication copies that shard's pointers (~600 of 150,000) into a
// working vector, kept sorted by (namespace, name); publish() moves the working vectors into new
// shards. So a pod costs one PodPtr here, not a map node with its own "namespace/name" key.
//
// Thread-safety: every method may be called from any thread; an internal mutex guards in-memory work
// only — callers decode JSON and do all I/O before calling in, and replace_pods() sorts its list
// before taking the lock. Replaced objects are destroyed after the lock is released.
#pragma once

#include <array>
#include <bitset>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cluster/cluster_snapshot.hpp"
#include "cluster/label_selector.hpp"

namespace kmetrics::cluster {

class ClusterState {
 public:
  using NodeMap = std::unordered_map<std::string, ClusterSnapshot::NodePtr>;  // by name
  // A complete list, per shard (pod_shard_of), in any order; of pods with the same namespace/name the
  // last one counts, as if they had been applied one after the other.
  using PodList = std::array<std::vector<ClusterSnapshot::PodPtr>, ClusterSnapshot::kPodShards>;

  explicit ClusterState(LabelSelector node_selector);

  void replace_nodes(NodeMap nodes);  // a completed (re)list; marks nodes synced
  void upsert_node(ClusterSnapshot::NodePtr node);
  void delete_node(const std::string& name);

  void replace_pods(PodList pods);  // a completed (re)list; marks pods synced
  void upsert_pod(ClusterSnapshot::PodPtr pod);
  void delete_pod(std::string_view namespace_name, std::string_view name);

  bool dirty() const;
  // The next snapshot; clears the dirty marks. Returns the previous one unchanged when nothing changed.
  std::shared_ptr<const ClusterSnapshot> publish();

 private:
  const LabelSelector node_selector_;
  mutable std::mutex mu_;
  // The current, sorted pods of `shard`: working_[shard] when the shard changed since the last
  // publication (pod_dirty_), else the last snapshot's. writable() makes the working copy.
  const std::vector<ClusterSnapshot::PodPtr>& pods_of(size_t shard) const;
  std::vector<ClusterSnapshot::PodPtr>& writable(size_t shard);

  NodeMap nodes_;
  PodList working_;
  bool nodes_dirty_ = false;
  std::bitset<ClusterSnapshot::kPodShards> pod_dirty_;
  bool nodes_synced_ = false, pods_synced_ = false, sync_dirty_ = false;
  size_t pod_count_ = 0;
  std::shared_ptr<const ClusterSnapshot> last_ = std::make_shared<const ClusterSnapshot>();
};

}  // namespace kmetrics::cluster
