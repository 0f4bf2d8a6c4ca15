#include "plugin/emit_result.hpp"

namespace kmetrics::kubelet {
namespace {

kmetrics_point toPoint(const Point& p) {
  return kmetrics_point{p.timestamp_ns, p.start_time_ns, p.cpu_cumulative_ns, p.memory_working_set};
}

// The decoder's Extended bits are declared in the same order as the ABI's KMETRICS_EXT_* bits.
kmetrics_extended toExtended(const Extended& e) {
  kmetrics_extended x = sdk::makeExtended();
  x.present = e.present;
  x.network_rx_bytes = e.network_rx_bytes;
  x.network_rx_errors = e.network_rx_errors;
  x.network_tx_bytes = e.network_tx_bytes;
  x.network_tx_errors = e.network_tx_errors;
  x.filesystem_usage = e.filesystem_usage;
  x.filesystem_limit = e.filesystem_limit;
  x.filesystem_available = e.filesystem_available;
  x.memory_rss = e.memory_rss;
  x.memory_usage = e.memory_usage;
  x.page_faults = e.page_faults;
  x.major_page_faults = e.major_page_faults;
  x.uptime_seconds = e.uptime_seconds;
  return x;
}

static_assert(Extended::kNetworkRxBytes == KMETRICS_EXT_NETWORK_RX_BYTES &&
                  Extended::kUptimeSeconds == KMETRICS_EXT_UPTIME_SECONDS &&
                  Extended::kMemoryRss == KMETRICS_EXT_MEMORY_RSS,
              "decoder bits must match the ABI's KMETRICS_EXT_* bits");

}  // namespace

void emitResult(const ScrapeResult& result, std::string_view node, const sdk::Emitter& out) {
  if (result.node.present) {
    const kmetrics_extended ext = toExtended(result.node.extended);
    out.node(node, toPoint(result.node.point), ext.present != 0 ? &ext : nullptr);
  }
  for (const auto& pod : result.pods) {
    if (pod.extended.present != 0) {
      const kmetrics_extended ext = toExtended(pod.extended);
      out.pod(pod.ns, pod.name, node, &ext);
    }
    for (const auto& c : pod.containers) {
      const kmetrics_extended ext = toExtended(c.extended);
      out.container(pod.ns, pod.name, c.name, node, toPoint(c.point), ext.present != 0 ? &ext : nullptr);
    }
  }
  for (size_t i = 0; i < kDropReasonCount; ++i) {
    if (result.drops[i] != 0) {
      out.countDrop(drop_reason_name(static_cast<DropReason>(i)), result.drops[i]);
    }
  }
}

}  // namespace kmetrics::kubelet
