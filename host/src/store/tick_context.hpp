// What the store's tables (NodeTable, PodTable) share while applying one tick: where the snapshot
// being built is, the history, the generation; and what they report back. Plain values.
#pragma once

#include <cstddef>
#include <cstdint>

#include "store/history.hpp"
#include "store/snapshot.hpp"

namespace kmetrics {

struct TickContext {
  uint64_t generation = 0;          // of this apply(); a state seen in it has seen_generation == generation
  SnapshotData& out;                // the snapshot being built
  History* history = nullptr;       // null when history is off
  uint32_t history_generation = 0;  // rows written by this apply()
};

struct TableResult {
  size_t distinct = 0;      // distinct objects (nodes, or pods) in the batch
  bool duplicates = false;  // some object was in more than one chunk
};

}  // namespace kmetrics
