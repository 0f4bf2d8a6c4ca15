// Decoder for the kubelet's `/metrics/resource` endpoint (Prometheus text format), applying
// metrics-server's rules (reference/metrics-server.md §2.5):
//
//  - families used: node_cpu_usage_seconds_total, node_memory_working_set_bytes,
//    container_cpu_usage_seconds_total, container_memory_working_set_bytes,
//    container_start_time_seconds; a name matches only exactly (followed by `{` or a blank);
//    every other family is skipped (but still syntax-checked);
//  - CPU seconds → uint64(value * 1e9) ns; memory → uint64(value); start time = value * 1e9 ns and
//    its sample timestamp is ignored;
//  - sample timestamp ms → ns; absent → the request time passed in;
//  - a negative sample timestamp on a used family fails the whole payload (the node's batch errors);
//  - the node is kept only if its timestamp, CPU and memory are all non-zero;
//  - a container with CPU == 0 or memory == 0 (missing counts as 0) drops its whole pod.
//
// Hostile input is counted, not fatal (see DropReason): NaN/±Inf, negative or oversized values,
// duplicate series (first wins), container series lacking container/pod/namespace labels.
// Syntax errors and invalid UTF-8 in used label values fail the payload with line and excerpt.
#pragma once

#include <cstdint>
#include <string_view>

#include "decode_status.hpp"
#include "prometheus_text_parser.hpp"
#include "result_builder.hpp"
#include "scrape_result.hpp"

namespace kmetrics::kubelet {

class ResourceMetricsDecoder {
 public:
  // Decodes `body` into `out` (overwritten; on error it holds no node and no pods, and `drops`
  // reflects what was counted before the error). Keep one decoder and one `out` per worker thread
  // and reuse them: after warm-up a decode performs no heap allocation.
  DecodeStatus decode(std::string_view body, int64_t request_time_ns, ScrapeResult& out);

 private:
  PrometheusTextParser parser_;
  ResultBuilder builder_;
};

}  // namespace kmetrics::kubelet
