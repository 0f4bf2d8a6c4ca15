// Builders shared by the store tests: batches in the shape metrics-server's storage tests use.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "model/sample.hpp"
#include "model/tick_batch.hpp"
#include "store/history.hpp"

namespace kmetrics::testing {

inline constexpr uint64_t kCoreSecond = 1'000'000'000;  // one core for one second, in ns
inline constexpr uint64_t kMiB = 1024 * 1024;
inline constexpr int64_t kSecond = 1'000'000'000;
// Arbitrary fixed origin (2026-01-01T00:00:00Z) so failures print readable, stable numbers.
inline constexpr UnixNanos kT0 = 1'767'225'600LL * kSecond;

inline HistoryOptions no_history() {
  HistoryOptions o;
  o.enabled = false;
  return o;
}

inline UnixNanos at(double seconds) { return kT0 + static_cast<int64_t>(seconds * 1e9); }

inline MetricsPoint point(UnixNanos start, UnixNanos ts, uint64_t cpu_ns, uint64_t memory) {
  MetricsPoint p;
  p.start_time = start;
  p.timestamp = ts;
  p.cpu_cumulative_ns = cpu_ns;
  p.memory_working_set = memory;
  return p;
}

inline Batch node_batch(std::initializer_list<std::pair<std::string, MetricsPoint>> nodes) {
  Batch b;
  for (const auto& [name, p] : nodes) b.nodes[name].point = p;
  return b;
}

inline void add_pod(Batch& b, const PodRef& ref, std::initializer_list<std::pair<std::string, MetricsPoint>> cs,
                    const std::string& node = "node1") {
  PodSample& pod = b.pods[ref];
  pod.node = node;
  for (const auto& [name, p] : cs) pod.containers[name].point = p;
}

inline Batch pod_batch(const PodRef& ref, std::initializer_list<std::pair<std::string, MetricsPoint>> cs) {
  Batch b;
  add_pod(b, ref, cs);
  return b;
}

// A TickBatch back as maps, to assert on. An object in several chunks: the last chunk's.
inline Batch to_batch(const TickBatch& t) {
  Batch b;
  for (const auto& chunk : t.chunks) {
    for (const ChunkNode& n : chunk->nodes()) {
      NodeSample& out = b.nodes[std::string(chunk->name(n))];
      out.point = n.point;
      out.extended = chunk->extended(n.extended) ? *chunk->extended(n.extended) : ExtendedPoint{};
    }
    for (const ChunkPod& p : chunk->pods()) {
      PodSample& out = b.pods[PodRef{std::string(chunk->ns(p)), std::string(chunk->name(p))}];
      out = PodSample{};
      out.node = chunk->str(p.node);
      out.extended = chunk->extended(p.extended) ? *chunk->extended(p.extended) : ExtendedPoint{};
      for (const ChunkContainer& c : chunk->containers(p)) {
        ContainerSample& oc = out.containers[std::string(chunk->name(c))];
        oc.point = c.point;
        oc.extended = chunk->extended(c.extended) ? *chunk->extended(c.extended) : ExtendedPoint{};
      }
    }
  }
  return b;
}

}  // namespace kmetrics::testing
