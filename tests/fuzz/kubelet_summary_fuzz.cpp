// libFuzzer entry point: Summary API JSON decoder (and the RFC 3339 parser it uses).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "decode/rfc3339.hpp"
#include "decode/summary_decoder.hpp"

using namespace kmetrics::kubelet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static SummaryDecoder decoder;
  static ScrapeResult out;
  const std::string_view json(reinterpret_cast<const char*>(data), size);

  int64_t ns = 0;
  (void)parse_rfc3339_ns(json.substr(0, 64), ns);

  const DecodeStatus st = decoder.decode(json, out);
  if (!st.ok()) {
    if (st.message.empty() || st.offset > size || !out.pods.empty() || out.node.present) std::abort();
    return 0;
  }
  if (out.node.present && (out.node.point.cpu_cumulative_ns == 0 || out.node.point.memory_working_set == 0))
    std::abort();
  for (const PodResult& p : out.pods) {
    if (p.ns.empty() || p.name.empty() || p.containers.empty()) std::abort();
    for (const ContainerResult& c : p.containers)
      if (c.name.empty() || c.point.cpu_cumulative_ns == 0 || c.point.memory_working_set == 0) std::abort();
  }
  return 0;
}
