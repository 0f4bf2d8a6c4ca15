// Deterministic workload model: the ground truth every simulated kubelet reports and every test checks.
// A container's CPU usage rate and memory are pure functions of its seed, so any component (kubelet
// payloads, the truth endpoint, test assertions) computes the same numbers independently.
#pragma once

#include <cstdint>
#include <string>

namespace kmetrics::sim {

// Nanoseconds since the Unix epoch.
using UnixNanos = int64_t;

struct ContainerWorkload {
  uint64_t cpu_millicores = 0;  // constant CPU usage rate in millicores (ground truth for `kubectl top`)
  uint64_t memory_bytes = 0;    // constant working set in bytes
};

// Derives a container's workload from a stable seed string ("ns/pod/container").
// CPU is in [1m, 1000m], memory in [8Mi, 512Mi] and a multiple of 4096 bytes (kubelets report pages).
ContainerWorkload workloadFor(const std::string& seed);

// Cumulative CPU time in core-nanoseconds at `now` for a container started at `start` using `rate_millicores`.
uint64_t cumulativeCpuNanos(uint64_t rate_millicores, UnixNanos start, UnixNanos now);

}  // namespace kmetrics::sim
