// What one simulated kubelet knows about its node at an instant: an immutable, compact copy of the
// node and its Running pods, rebuilt only when the cluster changes (not per request), so that the
// payload encoders never touch ClusterState or its lock on the hot path.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/cluster_state.hpp"

namespace kmetrics::sim {

struct ContainerSnapshot {
  std::string name;
  UnixNanos start_time = 0;
  uint32_t restart_count = 0;
  uint64_t cpu_millicores = 0;  // constant usage rate (ground truth)
  uint64_t memory_bytes = 0;    // constant working set (ground truth)
  uint64_t memory_limit_bytes = 0;
  std::string container_id;     // 64 hex chars, changes on restart like a CRI container id
};

struct PodSnapshot {
  std::string ns;
  std::string name;
  std::string uid;
  UnixNanos start_time = 0;
  std::vector<ContainerSnapshot> containers;
  uint64_t cpu_millicores = 0;  // sum over containers
  uint64_t memory_bytes = 0;    // sum over containers
};

struct NodeSnapshot {
  std::string name;
  UnixNanos boot_time = 0;
  uint64_t base_cpu_millicores = 0;
  uint64_t base_memory_bytes = 0;
  // Running pods only, sorted by (namespace, name); shared with the fleet model and older snapshots.
  std::vector<std::shared_ptr<const PodSnapshot>> pods;
  // (pod index, container index) sorted by (container, namespace, pod): the order in which the Go
  // Prometheus client prints samples of a family whose labels are container, namespace, pod.
  std::vector<std::pair<uint32_t, uint32_t>> container_order;
  uint64_t total_cpu_millicores = 0;  // base + pods
  uint64_t total_memory_bytes = 0;    // base + pods
};

// The compact copy of a pod, or nothing if the kubelet would not report it (phase != Running).
std::optional<PodSnapshot> makePodSnapshot(const Pod& pod);

// Builds the snapshot of `node` from its pods' snapshots.
std::shared_ptr<const NodeSnapshot> makeNodeSnapshot(const Node& node,
                                                     std::vector<std::shared_ptr<const PodSnapshot>> pods);
std::shared_ptr<const NodeSnapshot> makeNodeSnapshot(const Node& node, const std::vector<PodSnapshot>& pods);

// The values one response reports, computed once per request.
struct SampleContext {
  UnixNanos now = 0;             // request time; sample timestamps are now / 1e6 ms
  uint64_t node_cpu_nanos = 0;   // node cumulative CPU (monotonic, see FleetModel)
  bool nan_values = false;       // fault "nan": CPU and memory become NaN / +Inf
};

}  // namespace kmetrics::sim
