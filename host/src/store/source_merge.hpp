// Merging the batches several sources produced in one tick into the one TickBatch the Store applies.
// DESIGN.md "Decisions": for each node and each pod, the point of the highest-priority source that
// has it wins; between sources of equal priority the freshest point wins, then the source listed
// first; lower-priority sources only fill in objects the higher ones lack. Merging is per object (a
// node, or a pod with all its containers), never per field, so a pod's containers always come from
// one scrape. Within one source, an object in two chunks: the freshest, then the later chunk.
//
// With one source (the usual configuration) nothing is merged or copied: its batch is passed on.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <span>

#include "model/tick_batch.hpp"

namespace kmetrics {

struct SourceBatch {
  int priority = 0;  // higher wins
  TickBatch batch;   // empty when the source failed this tick
};

// At most one source with chunks: that batch as it is. Otherwise the winners, copied into one
// chunk per node name (pods by the node they were scraped from), objects_unique.
TickBatch merge_source_batches(std::span<const SourceBatch> sources);

// One sample per object, by the rule above: the batch itself when objects_unique, else a copy.
TickBatch deduplicate(const TickBatch& batch);

}  // namespace kmetrics
