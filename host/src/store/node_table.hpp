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
#include "store/point_rules.hpp"
#include "store/string_hash.hpp"
#include "store/tick_context.hpp"

namespace kmetrics {

class NodeTable {
 public:
  // Appends NodeMetrics (any order) to tick.out.nodes, counts points and rate errors, records history.
  TableResult apply(const TickBatch& batch, TickContext& tick);

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
