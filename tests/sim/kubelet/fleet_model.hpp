// The fleet's view of the cluster: one immutable NodeSnapshot per node plus a monotonic node CPU
// counter, kept current from ClusterState change events.
//
// Events are only queued by the ClusterState callback (which must not call back into the state);
// applyPending() re-reads the changed objects later, from a fleet thread. Re-reading instead of
// trusting the event makes out-of-order delivery harmless.
//
// Node CPU: the kubelet's node counter is the root cgroup's, so it never goes down when a container
// restarts or a pod goes away. It is integrated piecewise: on every change of the node's total rate
// (base + running containers) the counter is advanced with the old rate up to now.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/cluster_state.hpp"
#include "kubelet/node_snapshot.hpp"

namespace kmetrics::sim {

class FleetModel {
 public:
  explicit FleetModel(ClusterState& state);

  // Reads every node and pod from the state (call once, after subscribing to events).
  void loadAll(UnixNanos now);

  // Thread-safe, cheap: called from the ClusterState callback.
  void enqueue(const ChangeEvent& e);
  bool hasPending() const { return pending_flag_.load(std::memory_order_acquire); }

  struct NodeChanges {
    std::vector<Node> added;              // new nodes, or nodes whose address/port changed
    std::vector<std::string> removed;     // gone nodes, or nodes whose address/port changed
  };
  // Applies queued events; returns the listener changes the fleet must make.
  NodeChanges applyPending(UnixNanos now);

  struct Sample {
    std::shared_ptr<const NodeSnapshot> snapshot;
    uint64_t node_cpu_nanos = 0;
  };
  std::optional<Sample> sample(const std::string& node, UnixNanos now) const;

  std::vector<Node> nodes() const;

 private:
  struct NodeEntry {
    Node node;
    std::map<std::string, std::shared_ptr<const PodSnapshot>> pods;  // key "ns/name", Running pods bound to this node
    std::shared_ptr<const NodeSnapshot> snapshot;
    uint64_t cpu_acc_nanos = 0;  // counter value at cpu_acc_time
    UnixNanos cpu_acc_time = 0;
    uint64_t cpu_rate_millicores = 0;
  };
  void rebuild(NodeEntry& e, UnixNanos now);
  void applyPod(const std::string& key, UnixNanos now);
  void applyNode(const std::string& name, UnixNanos now, NodeChanges& changes);

  ClusterState& state_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, NodeEntry> nodes_;
  std::unordered_map<std::string, std::string> pod_node_;  // pod key -> node name

  std::mutex pending_mu_;
  std::vector<ChangeEvent> pending_;
  std::atomic<bool> pending_flag_{false};
};

}  // namespace kmetrics::sim
