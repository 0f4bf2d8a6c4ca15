// Immutable result of one Store::apply(): rates already computed, sorted and indexed so that every
// read is O(log n + result). Published as std::shared_ptr<const Snapshot>; a reader keeps one
// snapshot for a whole request and sees one consistent tick.
//
// Thread-safety: immutable after construction; any number of threads may read it concurrently.
// The history view it carries is safe to read concurrently with later apply() calls (history.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/sample.hpp"
#include "store/history.hpp"

namespace kmetrics {

// Strings are views into storage the snapshot keeps alive (SnapshotData::owners: the tick's chunks),
// so publishing a tick copies no string.
struct NodeMetrics {
  std::string_view name;
  UnixNanos timestamp = 0;  // last point's timestamp
  int64_t window_ns = 0;    // last.timestamp - prev.timestamp
  uint64_t cpu_nanocores = 0;
  uint64_t memory_bytes = 0;
};

struct ContainerMetrics {
  std::string_view name;
  uint64_t cpu_nanocores = 0;
  uint64_t memory_bytes = 0;
};

struct PodMetrics {
  PodRefView ref;
  std::string_view node;    // node the pod was scraped from
  UnixNanos timestamp = 0;  // of the container with the earliest timestamp (0 if no container)
  int64_t window_ns = 0;    // that container's window
  std::span<const ContainerMetrics> containers;  // sorted by name; rate errors leave a container out
};

// For the metrics_server_storage_points gauge and readiness.
struct StoragePointCounts {
  size_t nodes_with_prev = 0;       // gauge type="node"
  size_t containers_with_prev = 0;  // gauge type="container"
  size_t pods_with_prev = 0;        // pods with at least one container with a prev point
};

// Points dropped while computing this snapshot (metrics-server logs them; we count them).
struct RateErrorCounts {
  size_t nodes = 0;
  size_t containers = 0;
};

struct SnapshotData {
  uint64_t generation = 0;
  std::vector<NodeMetrics> nodes;  // any order; sorted by the constructor
  std::vector<PodMetrics> pods;    // any order; sorted by the constructor unless pods_sorted
  bool pods_sorted = false;        // the producer (the Store) already sorted pods by (namespace, name)
  std::vector<ContainerMetrics> containers;  // what PodMetrics::containers point into (it may also be elsewhere in owners)
  std::vector<std::shared_ptr<const void>> owners;  // whatever the string views point into
  StoragePointCounts points;
  RateErrorCounts rate_errors;
  HistoryView history;
};

class Snapshot {
 public:
  Snapshot() = default;  // empty, not ready
  explicit Snapshot(SnapshotData data);

  // Number of apply() calls that produced this snapshot (0 = nothing applied yet).
  uint64_t generation() const { return generation_; }
  // metrics-server v0.9 readiness: at least one node and one pod have a previous point.
  bool ready() const { return points_.nodes_with_prev != 0 && points_.pods_with_prev != 0; }
  const StoragePointCounts& points() const { return points_; }
  const RateErrorCounts& rate_errors() const { return rate_errors_; }

  // Sorted by name.
  std::span<const NodeMetrics> nodes() const { return nodes_; }
  const NodeMetrics* find_node(std::string_view name) const;

  // Sorted by namespace, then name.
  std::span<const PodMetrics> pods() const { return pods_; }
  std::span<const PodMetrics> pods_in_namespace(std::string_view ns) const;
  const PodMetrics* find_pod(std::string_view ns, std::string_view name) const;
  const PodMetrics* find_pod(PodRefView ref) const { return find_pod(ref.ns, ref.name); }
  // Namespaces that have at least one pod with metrics, sorted.
  std::vector<std::string_view> namespaces() const;

  const HistoryView& history() const { return history_; }

 private:
  // Pods of one namespace are contiguous in pods_: [begin, end).
  // Indices, not string_views, so the snapshot stays valid when moved or copied.
  struct NamespaceRange {
    size_t begin = 0;
    size_t end = 0;
  };
  std::string_view ns_of(const NamespaceRange& r) const { return pods_[r.begin].ref.ns; }

  uint64_t generation_ = 0;
  std::vector<std::shared_ptr<const void>> owners_;
  std::shared_ptr<const std::vector<ContainerMetrics>> containers_;  // shared: copies keep pointing into it
  std::vector<NodeMetrics> nodes_;
  std::vector<PodMetrics> pods_;
  std::vector<NamespaceRange> namespaces_;  // sorted by ns
  StoragePointCounts points_;
  RateErrorCounts rate_errors_;
  HistoryView history_;
};

}  // namespace kmetrics
