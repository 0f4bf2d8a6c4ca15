// The host's sample model: what sources report for one scrape, before rates are computed.
// Mirrors metrics-server's MetricsBatch (pkg/storage/types.go) plus optional extended series
// that only the heapster-compatible sink needs.
//
// The data path carries samples as NodeChunks in a TickBatch (node_chunk.hpp, tick_batch.hpp);
// Batch below is the same content as maps, convenient to build by hand (tests, benchmarks) and
// turned into a TickBatch by make_tick_batch().
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kmetrics {

// Nanoseconds since the Unix epoch. 0 means "unknown".
using UnixNanos = int64_t;

// One observation of cumulative CPU and current memory for a node or a container.
struct MetricsPoint {
  UnixNanos timestamp = 0;         // when the kubelet took the sample
  UnixNanos start_time = 0;        // container start time; nodes: 0 (never decoded)
  uint64_t cpu_cumulative_ns = 0;  // cumulative CPU time in core-nanoseconds
  uint64_t memory_working_set = 0; // bytes
};

// Extended series for the heapster-compatible sink. Each value is meaningful only when its bit is set.
struct ExtendedPoint {
  enum Field : uint32_t {
    kNetworkRxBytes = 1u << 0,
    kNetworkRxErrors = 1u << 1,
    kNetworkTxBytes = 1u << 2,
    kNetworkTxErrors = 1u << 3,
    kFilesystemUsage = 1u << 4,
    kFilesystemLimit = 1u << 5,
    kFilesystemAvailable = 1u << 6,
    kMemoryRss = 1u << 7,
    kMemoryUsage = 1u << 8,
    kPageFaults = 1u << 9,
    kMajorPageFaults = 1u << 10,
    kUptimeSeconds = 1u << 11,
  };
  uint32_t present = 0;
  uint64_t network_rx_bytes = 0, network_rx_errors = 0;
  uint64_t network_tx_bytes = 0, network_tx_errors = 0;
  uint64_t filesystem_usage = 0, filesystem_limit = 0, filesystem_available = 0;
  uint64_t memory_rss = 0, memory_usage = 0;
  uint64_t page_faults = 0, major_page_faults = 0;
  uint64_t uptime_seconds = 0;

  bool has(Field f) const { return (present & f) != 0; }
};

struct NodeSample {
  MetricsPoint point;
  ExtendedPoint extended;
};

struct ContainerSample {
  MetricsPoint point;
  ExtendedPoint extended;
};

// Pod identity: namespace + name.
struct PodRef {
  std::string ns;
  std::string name;
  bool operator==(const PodRef&) const = default;
  auto operator<=>(const PodRef&) const = default;
};

// A borrowed pod identity (the snapshot's, pointing into the chunks it keeps alive).
struct PodRefView {
  std::string_view ns;
  std::string_view name;
  PodRefView() = default;
  PodRefView(std::string_view ns_, std::string_view name_) : ns(ns_), name(name_) {}
  PodRefView(const PodRef& r) : ns(r.ns), name(r.name) {}  // NOLINT: implicit on purpose
  bool operator==(const PodRefView&) const = default;
  auto operator<=>(const PodRefView&) const = default;
};

struct PodRefViewHash {
  size_t operator()(const PodRefView& p) const noexcept {
    return std::hash<std::string_view>{}(p.ns) * 31 + std::hash<std::string_view>{}(p.name);
  }
};

struct PodRefHash {
  size_t operator()(const PodRef& p) const noexcept {
    return std::hash<std::string>{}(p.ns) * 31 + std::hash<std::string>{}(p.name);
  }
};

struct PodSample {
  std::string node;                             // node the pod was scraped from
  std::map<std::string, ContainerSample> containers;  // by container name
  ExtendedPoint extended;                       // pod-level series (network lives here)
};

// Everything scraped in one tick (or from one node), built by hand: see make_tick_batch().
struct Batch {
  std::unordered_map<std::string, NodeSample> nodes;  // by node name
  std::unordered_map<PodRef, PodSample, PodRefHash> pods;
};

}  // namespace kmetrics
