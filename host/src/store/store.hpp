// The host's metric store: metrics-server's two-point rate semantics (pkg/storage, v0.9) plus the
// heapster history, publishing an immutable Snapshot after every apply().
//
// Rules (reference/metrics-server.md §2.6), per node and per container, keeping `last` and `prev`:
// - apply() replaces the whole state by the batch: entities absent from it are forgotten.
// - node: new newer than last -> last becomes prev; else prev older than new -> keep prev; else no prev.
// - container: as node, but last is reused only if new.start_time < last.timestamp (no restart);
//   a fresh container (start < ts, 10s <= ts-start < resolution) gets prev {ts=start, cpu=0}.
// - rate errors (start time or CPU decreased) skip the point; a pod is omitted if any container lacks
//   prev, and returned without the containers whose rate failed (possibly with none).
// Deliberate deviation: metrics-server, when a pod has a prev but this container does not, compares
// against a zero-valued Go point and serves a ~292-year window; here that container simply has no prev.
//
// Thread-safety: apply() may be called from any thread; calls are serialized internally.
// snapshot() is safe from any thread, at any time, and never waits for apply()'s computation: the
// only lock it shares with apply() is held to copy or swap one shared_ptr.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/sample.hpp"
#include "store/history.hpp"
#include "store/snapshot.hpp"

namespace kmetrics {

// metrics-server's freshContainerMinMetricsResolution.
inline constexpr std::chrono::nanoseconds kFreshContainerMinAge = std::chrono::seconds(10);

class Store {
 public:
  explicit Store(std::chrono::nanoseconds metric_resolution, HistoryOptions history = {});
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Replaces the state with `batch`, computes rates, records history, publishes a new snapshot.
  void apply(const Batch& batch);

  // Never null. Before the first apply() an empty, not-ready snapshot with generation 0.
  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard lock(current_mutex_);
    return current_;
  }

  std::chrono::nanoseconds metric_resolution() const { return resolution_; }

 private:
  struct PointPair {
    MetricsPoint last;
    MetricsPoint prev;
    bool has_prev = false;
  };
  struct NodeState {
    PointPair points;
    uint64_t seen_generation = 0;
    History::Handle history;
  };
  struct ContainerState {
    std::string name;
    PointPair points;
    History::Handle history;
  };
  struct PodState {
    std::vector<ContainerState> containers;  // sorted by name, like PodSample::containers
    uint64_t seen_generation = 0;
    History::Handle history;
  };

  void update_node(NodeState& state, bool inserted, const MetricsPoint& point) const;
  void update_pod(PodState& state, const PodSample& sample) const;
  // The container rules: restart check, out-of-order points, fresh-container shortcut.
  PointPair next_container_points(const MetricsPoint& point, const PointPair* before) const;
  bool is_fresh_container(const MetricsPoint& point) const;
  void build_nodes(const Batch& batch, SnapshotData& out, uint32_t generation);
  void build_pods(const Batch& batch, SnapshotData& out, uint32_t generation);

  const std::chrono::nanoseconds resolution_;
  std::mutex apply_mutex_;  // serializes writers; readers never take it
  uint64_t generation_ = 0;
  std::unordered_map<std::string, NodeState> nodes_;
  std::unordered_map<PodRef, PodState, PodRefHash> pods_;
  std::shared_ptr<History> history_;  // null when disabled
  // A mutex held only to copy or swap the pointer, not std::atomic<std::shared_ptr>: libstdc++ 12's
  // version is invisible to ThreadSanitizer (false reports) and is a lock internally anyway.
  mutable std::mutex current_mutex_;
  std::shared_ptr<const Snapshot> current_;
  std::shared_ptr<const Snapshot> previous_;  // writer-only; see apply()
};

}  // namespace kmetrics
