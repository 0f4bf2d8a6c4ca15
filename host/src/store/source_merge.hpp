// Merging the batches several sources produced in one tick into the one Batch the Store applies.
// DESIGN.md "Decisions": for each node and each pod, the point of the highest-priority source that
// has it wins; between sources of equal priority the freshest point wins; lower-priority sources
// only fill in objects the higher ones lack. Merging is per object (a node, or a pod with all its
// containers), never per field, so a pod's containers always come from one scrape.
//
// Thread-safety: a pure function of its arguments.
#pragma once

#include <memory>
#include <span>

#include "model/sample.hpp"

namespace kmetrics {

struct SourceBatch {
  int priority = 0;  // higher wins
  std::shared_ptr<const Batch> batch;  // may be null (source failed this tick)
};

// Freshness used for ties: a node's timestamp; a pod's newest container timestamp.
UnixNanos freshness(const NodeSample& node);
UnixNanos freshness(const PodSample& pod);

// Equal priority and equal freshness: the source listed first wins, so results are deterministic.
Batch merge_source_batches(std::span<const SourceBatch> sources);

}  // namespace kmetrics
