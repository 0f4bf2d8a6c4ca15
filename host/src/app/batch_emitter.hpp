// A kmetrics_emitter that copies what a source emits into a NodeChunk, and counts drops by reason.
// One BatchEmitter per scrape call (the ABI says emitters are used by one thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "kmetrics/abi.h"
#include "model/node_chunk.hpp"

namespace kmetrics {

class BatchEmitter {
 public:
  // `key`: the node the scrape is for (empty for a cluster-scoped source), the chunk's key.
  explicit BatchEmitter(std::string key = {});
  ~BatchEmitter();
  BatchEmitter(const BatchEmitter&) = delete;
  BatchEmitter& operator=(const BatchEmitter&) = delete;

  const kmetrics_emitter& abi() const { return abi_; }
  // What was emitted; the emitter is empty afterwards.
  std::shared_ptr<const NodeChunk> finish() { return builder_->finish(); }
  const std::map<std::string, uint64_t>& drops() const { return drops_; }
  // Samples refused: malformed (empty names, missing struct fields), or more than a chunk holds.
  uint64_t rejected() const { return rejected_; }

 private:
  static void emitNode(void* self, const kmetrics_node_sample* s);
  static void emitPod(void* self, const kmetrics_pod_sample* s);
  static void emitContainer(void* self, const kmetrics_container_sample* s);
  static void countDrop(void* self, kmetrics_str reason, uint64_t count);

  kmetrics_emitter abi_{};
  // Reused by the next emitter on this thread (a worker scrapes one node after another), so its
  // buffers are already the size a node needs.
  std::unique_ptr<NodeChunkBuilder> builder_;
  std::map<std::string, uint64_t> drops_;
  uint64_t rejected_ = 0;
};

// Copies an ABI extended block (NULL → nothing present), honouring its struct_size.
ExtendedPoint toExtended(const kmetrics_extended* e);
MetricsPoint toPoint(const kmetrics_point& p);

}  // namespace kmetrics
