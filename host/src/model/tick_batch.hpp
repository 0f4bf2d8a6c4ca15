// One tick's samples as the store applies them and push sinks receive them: the chunks of every
// scrape that answered in time, shared, never copied.
//
// A pod or node may appear in more than one chunk (a source reporting a pod from two nodes, or a
// pod that moved while both kubelets still list it): consumers keep one sample per object, the
// freshest (newest timestamp; a pod's newest container), ties going to the later chunk.
// `objects_unique` says this is already known not to happen.
//
// Thread-safety: a plain value; its chunks are immutable.
#pragma once

#include <memory>
#include <vector>

#include "model/node_chunk.hpp"
#include "model/sample.hpp"

namespace kmetrics {

struct TickBatch {
  std::vector<std::shared_ptr<const NodeChunk>> chunks;
  bool objects_unique = false;  // every node and every pod is in at most one chunk

  size_t node_count() const;       // summed over chunks
  size_t pod_count() const;        // summed over chunks
  size_t container_count() const;  // summed over chunks
};

// A hand-built Batch (tests, benchmarks) as chunks: one per node name, keyed by it, holding that
// node's sample and the pods whose `node` names it (pods without a node: a chunk with an empty key).
TickBatch make_tick_batch(const Batch& batch);

}  // namespace kmetrics
