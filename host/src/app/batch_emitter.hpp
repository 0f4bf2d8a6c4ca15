// A kmetrics_emitter that copies what a source emits into a host Batch, and counts drops by reason.
// One BatchEmitter per scrape call (the ABI says emitters are used by one thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "kmetrics/abi.h"
#include "model/sample.hpp"

namespace kmetrics {

class BatchEmitter {
 public:
  BatchEmitter();
  BatchEmitter(const BatchEmitter&) = delete;
  BatchEmitter& operator=(const BatchEmitter&) = delete;

  const kmetrics_emitter& abi() const { return abi_; }
  Batch& batch() { return batch_; }
  const std::map<std::string, uint64_t>& drops() const { return drops_; }
  // Samples refused because they were malformed (empty names, missing struct fields).
  uint64_t rejected() const { return rejected_; }

 private:
  static void emitNode(void* self, const kmetrics_node_sample* s);
  static void emitPod(void* self, const kmetrics_pod_sample* s);
  static void emitContainer(void* self, const kmetrics_container_sample* s);
  static void countDrop(void* self, kmetrics_str reason, uint64_t count);

  kmetrics_emitter abi_{};
  Batch batch_;
  std::map<std::string, uint64_t> drops_;
  uint64_t rejected_ = 0;
};

// Copies an ABI extended block (NULL → nothing present), honouring its struct_size.
ExtendedPoint toExtended(const kmetrics_extended* e);
MetricsPoint toPoint(const kmetrics_point& p);

}  // namespace kmetrics
