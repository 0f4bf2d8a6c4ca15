// What one scrape produced (one node's kubelet, or one call of a cluster-scoped source), in a flat
// layout: every string in one arena, pods and containers in two arrays, extended series only for
// the samples that have them. Built once by a NodeChunkBuilder on the scrape thread, then shared
// read-only (std::shared_ptr<const NodeChunk>) by the store, the snapshots whose strings point into
// it and the push sinks' queues: nothing is copied after the scrape.
//
// Order: nodes sorted by name, pods by (namespace, name), each pod's containers by name; every one
// of them at most once (a re-emitted sample replaces the earlier one, as the ABI's emitter says).
//
// Thread-safety: a built chunk is immutable. A builder is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/sample.hpp"

namespace kmetrics {

// A string in a chunk's arena.
struct ChunkStr {
  uint32_t offset = 0;
  uint32_t size = 0;
};

inline constexpr uint32_t kNoExtended = UINT32_MAX;

struct ChunkNode {
  ChunkStr name;
  MetricsPoint point;
  uint32_t extended = kNoExtended;  // index into the chunk's extended points
};

struct ChunkContainer {
  ChunkStr name;
  MetricsPoint point;
  uint32_t extended = kNoExtended;
};

struct ChunkPod {
  ChunkStr ns;
  ChunkStr name;
  ChunkStr node;  // node the pod was scraped from
  uint32_t first_container = 0;
  uint32_t container_count = 0;
  uint32_t extended = kNoExtended;  // pod-level series (network lives here)
};

// (namespace, name) order, as the snapshot sorts pods.
inline int compare_pod_refs(std::string_view ns_a, std::string_view name_a, std::string_view ns_b,
                            std::string_view name_b) {
  if (const int c = ns_a.compare(ns_b); c != 0) return c;
  return name_a.compare(name_b);
}

class NodeChunk {
 public:
  // The node this chunk was scraped for; empty for a cluster-scoped source or a merged chunk.
  std::string_view key() const { return key_; }
  std::string_view str(ChunkStr s) const { return {names_.data() + s.offset, s.size}; }

  std::span<const ChunkNode> nodes() const { return nodes_; }
  std::span<const ChunkPod> pods() const { return pods_; }
  // Every container, grouped by pod in pod order.
  std::span<const ChunkContainer> containers() const { return containers_; }
  std::span<const ChunkContainer> containers(const ChunkPod& pod) const {
    return std::span<const ChunkContainer>(containers_).subspan(pod.first_container, pod.container_count);
  }
  // Null for kNoExtended.
  const ExtendedPoint* extended(uint32_t index) const {
    return index == kNoExtended ? nullptr : &extended_[index];
  }

  std::string_view ns(const ChunkPod& p) const { return str(p.ns); }
  std::string_view name(const ChunkPod& p) const { return str(p.name); }
  std::string_view name(const ChunkNode& n) const { return str(n.name); }
  std::string_view name(const ChunkContainer& c) const { return str(c.name); }
  // A pod's freshness for ranking duplicates: its newest container timestamp (0 without containers).
  UnixNanos freshness(const ChunkPod& p) const;

  // The same pods (namespace, name) with the same container names at the same indices as `other`.
  bool same_layout(const NodeChunk& other) const;

  bool empty() const { return nodes_.empty() && pods_.empty(); }

 private:
  friend class NodeChunkBuilder;
  std::string key_;
  std::string names_;
  std::vector<ChunkNode> nodes_;
  std::vector<ChunkPod> pods_;
  std::vector<ChunkContainer> containers_;
  std::vector<ExtendedPoint> extended_;
};

// Collects samples in any order (the ABI lets a source emit a pod's containers apart, or a sample
// twice) and sorts them into a NodeChunk. Samples arriving grouped and sorted cost no sorting.
// Semantics of the host's emitter: a node or container emitted again replaces the earlier sample;
// a pod's node is the last one any of its samples named; its extended series the last emit_pod's.
class NodeChunkBuilder {
 public:
  explicit NodeChunkBuilder(std::string key = {});

  // Each returns false (and adds nothing) when the chunk is full: 4 GiB of names or 2^31 samples.
  bool node(std::string_view name, const MetricsPoint& point, const ExtendedPoint* extended);
  // Pod-level sample; creates the pod if needed. `extended` may be null (nothing pod-level).
  bool pod(std::string_view ns, std::string_view name, std::string_view node, const ExtendedPoint* extended);
  bool container(std::string_view ns, std::string_view pod, std::string_view name, std::string_view node,
                 const MetricsPoint& point, const ExtendedPoint* extended);

  // The chunk. The builder is left empty, with the same key, ready for another scrape.
  std::shared_ptr<const NodeChunk> finish();
  // Drops what was added and sets the key; the buffers keep their capacity for the next chunk.
  void reset(std::string key);
  // Heap bytes the buffers hold.
  size_t capacity_bytes() const;

 private:
  struct RawPod {
    ChunkStr ns, name, node;
    uint32_t extended = kNoExtended;
    bool pod_emitted = false;  // extended was set by a pod-level sample
  };
  struct RawContainer {
    uint32_t pod = 0;  // index into pods_
    ChunkStr name;
    MetricsPoint point;
    uint32_t extended = kNoExtended;
  };

  bool fits(size_t name_bytes) const;
  ChunkStr intern(std::string_view s);
  ChunkStr intern_cached(std::string_view s, ChunkStr& cache);
  uint32_t add_extended(const ExtendedPoint* e);
  uint32_t pod_index(std::string_view ns, std::string_view name, std::string_view node);
  std::string_view view(ChunkStr s) const { return draft_.str(s); }
  void build_nodes(NodeChunk& out);
  void build_pods(NodeChunk& out);

  NodeChunk draft_;  // key, names, nodes and extended points as emitted; pods and containers below
  std::vector<RawPod> pods_;
  std::vector<RawContainer> containers_;
  ChunkStr last_ns_, last_node_;
  uint32_t last_pod_ = UINT32_MAX;
};

}  // namespace kmetrics
