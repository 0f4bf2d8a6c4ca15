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
// A node or pod in more than one chunk of a batch is taken from the freshest (ties: the later chunk);
// metrics-server keeps whichever node's result it received last.
//
// Layout: NodeTable (node_table.hpp) keeps nodes by name; PodTable (pod_table.hpp) keeps pods per
// chunk key next to the chunk that holds their last points, and their (namespace, name) order.
//
// Thread-safety: apply() may be called from any thread; calls are serialized internally.
// snapshot() is safe from any thread, at any time, and never waits for apply()'s computation: the
// only lock it shares with apply() is held to copy or swap one shared_ptr.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "model/sample.hpp"
#include "model/tick_batch.hpp"
#include "store/history.hpp"
#include "store/node_table.hpp"
#include "store/pod_table.hpp"
#include "store/snapshot.hpp"

namespace kmetrics {

class Store {
 public:
  explicit Store(std::chrono::nanoseconds metric_resolution, HistoryOptions history = {});
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  struct ApplyResult {
    size_t nodes = 0;         // distinct nodes in the batch
    size_t pods = 0;          // distinct pods in the batch
    bool duplicates = false;  // some node or pod was in more than one chunk (the freshest was used)
  };

  // Replaces the state with `batch`, computes rates, records history, publishes a new snapshot.
  // The snapshot and the state keep the batch's chunks (shared, not copied).
  ApplyResult apply(const TickBatch& batch);
  // A hand-built batch (tests, benchmarks): make_tick_batch(batch).
  ApplyResult apply(const Batch& batch) { return apply(make_tick_batch(batch)); }

  // Never null. Before the first apply() an empty, not-ready snapshot with generation 0.
  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard lock(current_mutex_);
    return current_;
  }

  std::chrono::nanoseconds metric_resolution() const { return resolution_; }

 private:
  const std::chrono::nanoseconds resolution_;
  std::mutex apply_mutex_;  // serializes writers; readers never take it
  uint64_t generation_ = 0;
  NodeTable nodes_;
  PodTable pods_;
  std::shared_ptr<History> history_;  // null when disabled
  // A mutex held only to copy or swap the pointer, not std::atomic<std::shared_ptr>: libstdc++ 12's
  // version is invisible to ThreadSanitizer (false reports) and is a lock internally anyway.
  mutable std::mutex current_mutex_;
  std::shared_ptr<const Snapshot> current_;
  std::shared_ptr<const Snapshot> previous_;  // writer-only; see apply()
};

}  // namespace kmetrics
