// Plain result types produced by the kubelet decoders.
//
// These are plugin-internal: nothing here crosses the plugin's C ABI. The plugin glue converts a
// ScrapeResult into borrowed ABI views. All times are Unix nanoseconds; all sizes are bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kmetrics::kubelet {

// The two numbers metrics-server needs per node/container, plus the start time used for restart
// detection and the fresh-container rule (metrics-server.md §2.6).
struct Point {
  int64_t timestamp_ns = 0;        // when the sample was taken (sample timestamp, else request time)
  int64_t start_time_ns = 0;       // container/node start; 0 when unknown
  uint64_t cpu_cumulative_ns = 0;  // cumulative CPU time, core-nanoseconds
  uint64_t memory_working_set = 0; // working set, bytes
};

// Optional extra values only the Summary API carries (used by the heapster-compatible API).
// A value is meaningful only when its bit is set in `present`.
struct Extended {
  enum Bit : uint32_t {
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
  uint32_t present = 0;               // OR of Bit values
  uint64_t network_rx_bytes = 0;      // pod/node: cumulative received bytes
  uint64_t network_rx_errors = 0;     // pod/node: cumulative receive errors
  uint64_t network_tx_bytes = 0;      // pod/node: cumulative transmitted bytes
  uint64_t network_tx_errors = 0;     // pod/node: cumulative transmit errors
  uint64_t filesystem_usage = 0;      // container rootfs / node fs: usedBytes
  uint64_t filesystem_limit = 0;      // container rootfs / node fs: capacityBytes
  uint64_t filesystem_available = 0;  // container rootfs / node fs: availableBytes
  uint64_t memory_rss = 0;            // memory.rssBytes
  uint64_t memory_usage = 0;          // memory.usageBytes (includes page cache)
  uint64_t page_faults = 0;           // memory.pageFaults (cumulative)
  uint64_t major_page_faults = 0;     // memory.majorPageFaults (cumulative)
  uint64_t uptime_seconds = 0;        // sample time − start time, whole seconds

  bool has(Bit b) const { return (present & b) != 0; }
  void set(Bit b, uint64_t Extended::*field, uint64_t v) {
    this->*field = v;
    present |= b;
  }
};

struct ContainerResult {
  std::string name;   // container name from the kubelet
  Point point;
  Extended extended;  // Summary API only; present == 0 for /metrics/resource
};

struct PodResult {
  std::string ns;    // pod namespace
  std::string name;  // pod name
  std::vector<ContainerResult> containers;  // in order of first appearance in the payload
  Extended extended;                        // pod-level network (Summary API only)
};

struct NodeResult {
  bool present = false;  // false when the payload had no complete node point
  Point point;
  Extended extended;     // Summary API only
};

// Why something in a payload was not turned into a point. Counted, never logged per item: a hostile
// kubelet must not be able to flood the log.
enum class DropReason : uint8_t {
  kNodeIncomplete = 0,    // node lines/fields present but timestamp, CPU or memory zero/missing
  kContainerIncomplete,   // a container had CPU or memory zero/missing (summary: also cpu.time or
                          // startTime missing/unparseable-range) → its whole pod dropped (counts pods)
  kNonFiniteValue,        // NaN / ±Inf sample value (series ignored)
  kNegativeValue,         // negative CPU/memory value (series ignored; Go would wrap it)
  kOutOfRange,            // text: value or timestamp does not fit the target integer (series ignored)
  kDuplicateSeries,       // same series seen again in one payload; first one wins
  kMissingLabel,          // text: container series without non-empty container/pod/namespace labels;
                          // summary: pod without podRef name/namespace, or (pod dropped) unnamed container
  kNegativeTimestamp,     // text: whole payload rejected (count is 1); summary: node/pod whose cpu.time or
                          // startTime is before 1970 dropped
  kCount
};
inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::kCount);

// Short stable name for self-metrics labels, e.g. "container_incomplete".
const char* drop_reason_name(DropReason r);

// Everything decoded from one kubelet response. Reuse one instance across scrapes of the same node:
// the decoders overwrite it in place and keep its capacity, so a steady-state scrape allocates nothing.
struct ScrapeResult {
  NodeResult node;
  std::vector<PodResult> pods;  // only complete pods, in order of first appearance
  std::array<uint32_t, kDropReasonCount> drops{};  // indexed by DropReason

  uint32_t drop_count(DropReason r) const { return drops[static_cast<std::size_t>(r)]; }
  void count_drop(DropReason r, uint32_t n = 1) { drops[static_cast<std::size_t>(r)] += n; }
  // Empties the result but keeps the pod/container storage for reuse.
  void reset() {
    node = NodeResult{};
    drops.fill(0);
  }
};

}  // namespace kmetrics::kubelet
