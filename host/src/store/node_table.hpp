// The store's node state: (last, prev) per node name across ticks, metrics-server's node rules
// (point_rules.hpp), turned into NodeMetrics for a snapshot.
//
// A node in more than one chunk of a tick is taken from the freshest (ties: the later chunk).
// Nodes absent from a tick are forgotten.
//
// Thread-safety: none; the Store serializes apply().
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "model/tick_batch.hpp"
#include "store/history.hpp"
#include "store/point_rules.hpp"
#include "store/snapshot.hpp"
#include "store/string_hash.hpp"

namespace kmetrics {

class NodeTable {
 public:
  struct Result {
    size_t nodes = 0;         // distinct nodes in the batch
    bool duplicates = false;  // some node was in more than one chunk
  };

  // Appends NodeMetrics (any order) to out.nodes, counts points and rate errors into `out`, records
  // history when `history` is set.
  Result apply(const TickBatch& batch, uint64_t generation, SnapshotData& out, History* history,
               uint32_t history_generation);

 private:
  struct NodeState {
    NodePoints points;
    uint64_t seen_generation = 0;
    bool first = true;  // no point before this tick
    History::Handle history;
    // This tick's sample.
    const NodeChunk* chunk = nullptr;
    const ChunkNode* sample = nullptr;
  };

  StringMap<NodeState> nodes_;
  std::vector<NodeState*> touched_;  // this tick's nodes; reused between ticks
};

}  // namespace kmetrics
