// /stats/summary (stats/v1alpha1 JSON) as a kubelet prints it, written by hand into a reusable
// buffer (no JSON library on the hot path). Field names and optional fields follow
// wire-formats.md §1; every time is RFC 3339 whole seconds UTC, every counter a JSON integer.
#pragma once

#include <string>

#include "kubelet/node_snapshot.hpp"

namespace kmetrics::sim {

struct SummaryOptions {
  bool only_cpu_and_memory = false;  // ?only_cpu_and_memory=true: node, system containers, pods and
                                     // containers keep only startTime/cpu/memory
};

void encodeSummary(const NodeSnapshot& node, const SampleContext& ctx, const SummaryOptions& opts, std::string& out);

}  // namespace kmetrics::sim
