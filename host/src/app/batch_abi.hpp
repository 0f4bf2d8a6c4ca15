// A borrowed ABI view (kmetrics_batch) of a host Batch, for push sinks. Valid while both this
// object and the Batch live and neither is modified.
#pragma once

#include <vector>

#include "kmetrics/abi.h"
#include "model/sample.hpp"

namespace kmetrics {

class BatchAbiView {
 public:
  BatchAbiView(const Batch& batch, int64_t collected_unix_ns);
  BatchAbiView(const BatchAbiView&) = delete;
  BatchAbiView& operator=(const BatchAbiView&) = delete;

  const kmetrics_batch& abi() const { return batch_; }

 private:
  std::vector<kmetrics_extended> extended_;  // reserved up front: samples point into it
  std::vector<kmetrics_node_sample> nodes_;
  std::vector<kmetrics_pod_sample> pods_;
  std::vector<kmetrics_container_sample> containers_;
  kmetrics_batch batch_{};
};

}  // namespace kmetrics
