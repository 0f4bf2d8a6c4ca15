// Decoder for the kubelet Summary API (`/stats/summary`, full or `?only_cpu_and_memory=true`) with
// simdjson On Demand, applying metrics-server v0.5.2's rules (reference/wire-formats.md §1):
//
//  - node point kept only if cpu.time is set, cpu.usageCoreNanoSeconds and memory.workingSetBytes are
//    present and non-zero; its timestamp is cpu.time ("use the decode time from the CPU");
//  - a container needs a non-zero startTime ("use the decode start time"), cpu.time, non-zero
//    usageCoreNanoSeconds and non-zero workingSetBytes; one bad container drops its whole pod;
//  - extras for the heapster-compatible API: container memory usage/rss/page faults and rootfs, pod
//    network (top-level default-interface fields, else the sum of interfaces[]), node network, fs,
//    memory extras, and uptime (sample time − startTime).
//
// JSON null means absent (Go decodes null into a nil pointer). Unknown fields are skipped. Errors fail
// the whole payload, as Go's json.Unmarshal would: malformed JSON (message has the byte offset) and
// wrong value types (message names the field path, e.g. `pods[3].containers[0].cpu.time`).
// Duplicate pods and duplicate container names in a pod: first wins, counted. A pod with no containers
// (`containers: null` or `[]`) is left out silently, as /metrics/resource would not list it either.
// Times outside int64 nanoseconds (e.g. Go's zero time "0001-01-01T00:00:00Z") count as missing.
#pragma once

#include <memory>
#include <string_view>

#include "decode_status.hpp"
#include "scrape_result.hpp"

namespace kmetrics::kubelet {

class SummaryDecoder {
 public:
  SummaryDecoder();
  ~SummaryDecoder();
  SummaryDecoder(const SummaryDecoder&) = delete;
  SummaryDecoder& operator=(const SummaryDecoder&) = delete;

  // Decodes `json` into `out` (overwritten; on error it holds no node and no pods). The payload is
  // copied into an internal padded buffer, so `json` needs no simdjson padding. Reuse the decoder and
  // `out` per worker: after warm-up a decode of a same-sized payload allocates nothing.
  DecodeStatus decode(std::string_view json, ScrapeResult& out);

 private:
  struct Impl;  // keeps simdjson out of this header
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmetrics::kubelet
