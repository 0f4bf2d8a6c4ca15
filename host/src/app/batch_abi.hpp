// A borrowed ABI view (kmetrics_batch) of a host TickBatch, for push sinks: one sample per node and
// pod (a batch that may hold an object twice is deduplicated first, source_merge.hpp). Valid while
// this object lives; the strings point into the batch's chunks, which it keeps.
#pragma once

#include <vector>

#include "kmetrics/abi.h"
#include "model/tick_batch.hpp"

namespace kmetrics {

class BatchAbiView {
 public:
  BatchAbiView(const TickBatch& batch, int64_t collected_unix_ns);
  BatchAbiView(const BatchAbiView&) = delete;
  BatchAbiView& operator=(const BatchAbiView&) = delete;

  const kmetrics_batch& abi() const { return batch_; }

 private:
  TickBatch source_;                         // the batch, or its deduplicated copy
  std::vector<kmetrics_extended> extended_;  // reserved up front: samples point into it
  std::vector<kmetrics_node_sample> nodes_;
  std::vector<kmetrics_pod_sample> pods_;
  std::vector<kmetrics_container_sample> containers_;
  kmetrics_batch batch_{};
};

}  // namespace kmetrics
