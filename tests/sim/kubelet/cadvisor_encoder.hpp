// /metrics/cadvisor as a kubelet prints it: cAdvisor families with the kubelet's labels
// (container, cpu="total" on CPU usage, id = cgroup path, image, name = CRI id, namespace, pod),
// one row for the machine root (id="/"), one per pod cgroup (container="") and one per container.
// The pause/sandbox row is left out so that pod rows equal the sum of their containers.
#pragma once

#include <string>

#include "kubelet/node_snapshot.hpp"

namespace kmetrics::sim {

void encodeCadvisorMetrics(const NodeSnapshot& node, const SampleContext& ctx, std::string& out);

}  // namespace kmetrics::sim
