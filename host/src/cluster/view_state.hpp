// The writer side of the cluster view: the current nodes and running pods as the watches report
// them, plus dirty marks, from which build() derives the next immutable ClusterSnapshot (sharing every
// unchanged shard with the previous one). Internal to kmetrics_cluster.
//
// Thread-safety: every method may be called from any thread; an internal mutex guards in-memory work
// only — callers decode JSON and do all I/O before calling in. Replaced maps are destroyed after the
// lock is released.
#pragma once

#include <array>
#include <bitset>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cluster/cluster_snapshot.hpp"
#include "cluster/label_selector.hpp"

namespace kmetrics::cluster {

class ClusterState {
 public:
  using NodeMap = std::unordered_map<std::string, ClusterSnapshot::NodePtr>;  // by name
  // Per shard, by "namespace/name".
  using PodMaps = std::array<std::unordered_map<std::string, ClusterSnapshot::PodPtr>, ClusterSnapshot::kPodShards>;

  explicit ClusterState(LabelSelector node_selector);

  void replace_nodes(NodeMap nodes);  // a completed (re)list; marks nodes synced
  void upsert_node(ClusterSnapshot::NodePtr node);
  void delete_node(const std::string& name);

  void replace_pods(PodMaps pods);  // a completed (re)list; marks pods synced
  void upsert_pod(ClusterSnapshot::PodPtr pod);
  void delete_pod(const std::string& namespace_name, const std::string& name);

  static std::string pod_key(std::string_view namespace_name, std::string_view name);

  bool dirty() const;
  // The next snapshot; clears the dirty marks. Returns the previous one unchanged when nothing changed.
  std::shared_ptr<const ClusterSnapshot> publish();

 private:
  const LabelSelector node_selector_;
  mutable std::mutex mu_;
  NodeMap nodes_;
  PodMaps pods_;
  bool nodes_dirty_ = false;
  std::bitset<ClusterSnapshot::kPodShards> pod_dirty_;
  bool nodes_synced_ = false, pods_synced_ = false, sync_dirty_ = false;
  size_t pod_count_ = 0;
  std::shared_ptr<const ClusterSnapshot> last_ = std::make_shared<const ClusterSnapshot>();
};

}  // namespace kmetrics::cluster
