// libFuzzer entry point: /metrics/resource text decoder. Must never crash, hang or break invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "decode/resource_metrics_decoder.hpp"

using namespace kmetrics::kubelet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  // Reused across inputs, like a worker decoding one node after another.
  static ResourceMetricsDecoder decoder;
  static ScrapeResult out;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const DecodeStatus st = decoder.decode(body, 1700000000000000000, out);
  if (!st.ok()) {
    if (st.message.empty() || st.offset > size || !out.pods.empty() || out.node.present) std::abort();
    return 0;
  }
  if (out.node.present && (out.node.point.timestamp_ns == 0 || out.node.point.cpu_cumulative_ns == 0 ||
                           out.node.point.memory_working_set == 0))
    std::abort();
  for (const PodResult& p : out.pods) {
    if (p.ns.empty() || p.name.empty() || p.containers.empty()) std::abort();
    for (const ContainerResult& c : p.containers)
      if (c.name.empty() || c.point.cpu_cumulative_ns == 0 || c.point.memory_working_set == 0) std::abort();
  }
  return 0;
}
