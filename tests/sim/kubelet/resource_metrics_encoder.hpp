// /metrics/resource exactly as a 1.30+ kubelet prints it (Prometheus text format 0.0.4):
// families sorted by name, labels sorted by name, samples sorted by label values, Go number
// formatting, [STABLE] HELP prefixes (1.29+), and no deprecated `scrape_error` (hidden since 1.30).
// Families without samples are omitted, as the Go client does. Swap families (ALPHA, 1.28+) are
// printed with 0, as on a cgroup v2 node without swap.
#pragma once

#include <string>

#include "kubelet/node_snapshot.hpp"

namespace kmetrics::sim {

inline constexpr const char* kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// Appends the payload to `out` (which is not cleared, so callers can reuse one buffer).
void encodeResourceMetrics(const NodeSnapshot& node, const SampleContext& ctx, std::string& out);

// Label value escaping of the text format: backslash, double quote and newline.
void appendPromLabelValue(std::string& out, const std::string& v);
// "# HELP name help\n# TYPE name type\n", as the Go client prints a family header.
void appendPromHeader(std::string& out, const char* name, const char* help, const char* type);

}  // namespace kmetrics::sim
