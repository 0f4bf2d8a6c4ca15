#include "kubelet/resource_metrics_encoder.hpp"

#include <limits>

#include "kubelet/go_float_format.hpp"

namespace kmetrics::sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();


// `{container="..",namespace="..",pod=".."}` — label names in sorted order.
void containerLabels(std::string& out, const PodSnapshot& p, const ContainerSnapshot& c) {
  out += "{container=\"";
  appendPromLabelValue(out, c.name);
  out += "\",namespace=\"";
  appendPromLabelValue(out, p.ns);
  out += "\",pod=\"";
  appendPromLabelValue(out, p.name);
  out += "\"}";
}

void podLabels(std::string& out, const PodSnapshot& p) {
  out += "{namespace=\"";
  appendPromLabelValue(out, p.ns);
  out += "\",pod=\"";
  appendPromLabelValue(out, p.name);
  out += "\"}";
}

void valueAndTimestamp(std::string& out, double v, int64_t ts_ms) {
  out += ' ';
  appendPromFloat(out, v);
  out += ' ';
  appendInt(out, ts_ms);
  out += '\n';
}

double cpuSeconds(uint64_t nanos) { return static_cast<double>(nanos) / 1e9; }

}  // namespace

void appendPromHeader(std::string& out, const char* name, const char* help, const char* type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void appendPromLabelValue(std::string& out, const std::string& v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void encodeResourceMetrics(const NodeSnapshot& node, const SampleContext& ctx, std::string& out) {
  const int64_t ts = ctx.now / 1'000'000;
  const bool have_containers = !node.container_order.empty();

  if (have_containers) {
    appendPromHeader(out, "container_cpu_usage_seconds_total",
           "[STABLE] Cumulative cpu time consumed by the container in core-seconds", "counter");
    for (const auto& [pi, ci] : node.container_order) {
      const PodSnapshot& p = *node.pods[pi];
      const ContainerSnapshot& c = p.containers[ci];
      out += "container_cpu_usage_seconds_total";
      containerLabels(out, p, c);
      valueAndTimestamp(out, ctx.nan_values ? kNaN : cpuSeconds(cumulativeCpuNanos(c.cpu_millicores, c.start_time, ctx.now)), ts);
    }
    appendPromHeader(out, "container_memory_working_set_bytes",
           "[STABLE] Current working set of the container in bytes", "gauge");
    for (const auto& [pi, ci] : node.container_order) {
      const PodSnapshot& p = *node.pods[pi];
      const ContainerSnapshot& c = p.containers[ci];
      out += "container_memory_working_set_bytes";
      containerLabels(out, p, c);
      valueAndTimestamp(out, ctx.nan_values ? kInf : static_cast<double>(c.memory_bytes), ts);
    }
    appendPromHeader(out, "container_start_time_seconds",
           "[ALPHA] Start time of the container since unix epoch in seconds", "gauge");
    for (const auto& [pi, ci] : node.container_order) {
      const PodSnapshot& p = *node.pods[pi];
      const ContainerSnapshot& c = p.containers[ci];
      if (c.start_time <= 0) continue;  // the kubelet skips a zero start time
      out += "container_start_time_seconds";
      containerLabels(out, p, c);
      out += ' ';
      appendPromFloat(out, static_cast<double>(c.start_time) / 1e9);  // no timestamp, like 1.30+
      out += '\n';
    }
    // cgroup v2 nodes without swap report 0 (1.28+, ALPHA); decoders must skip these families.
    appendPromHeader(out, "container_swap_usage_bytes",
           "[ALPHA] Current amount of the container swap usage in bytes. Reported only on non-windows systems", "gauge");
    for (const auto& [pi, ci] : node.container_order) {
      const PodSnapshot& p = *node.pods[pi];
      out += "container_swap_usage_bytes";
      containerLabels(out, p, p.containers[ci]);
      valueAndTimestamp(out, 0, ts);
    }
  }

  appendPromHeader(out, "node_cpu_usage_seconds_total",
         "[STABLE] Cumulative cpu time consumed by the node in core-seconds", "counter");
  out += "node_cpu_usage_seconds_total";
  valueAndTimestamp(out, ctx.nan_values ? kNaN : cpuSeconds(ctx.node_cpu_nanos), ts);
  appendPromHeader(out, "node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge");
  out += "node_memory_working_set_bytes";
  valueAndTimestamp(out, ctx.nan_values ? kInf : static_cast<double>(node.total_memory_bytes), ts);
  appendPromHeader(out, "node_swap_usage_bytes",
         "[ALPHA] Current swap usage of the node in bytes. Reported only on non-windows systems", "gauge");
  out += "node_swap_usage_bytes";
  valueAndTimestamp(out, 0, ts);

  if (!node.pods.empty()) {
    appendPromHeader(out, "pod_cpu_usage_seconds_total",
           "[STABLE] Cumulative cpu time consumed by the pod in core-seconds", "counter");
    for (const auto& pp : node.pods) {  // already sorted by (namespace, pod)
      const PodSnapshot& p = *pp;
      uint64_t sum = 0;
      for (const ContainerSnapshot& c : p.containers) sum += cumulativeCpuNanos(c.cpu_millicores, c.start_time, ctx.now);
      out += "pod_cpu_usage_seconds_total";
      podLabels(out, p);
      valueAndTimestamp(out, ctx.nan_values ? kNaN : cpuSeconds(sum), ts);
    }
    appendPromHeader(out, "pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge");
    for (const auto& pp : node.pods) {
      const PodSnapshot& p = *pp;
      out += "pod_memory_working_set_bytes";
      podLabels(out, p);
      valueAndTimestamp(out, ctx.nan_values ? kInf : static_cast<double>(p.memory_bytes), ts);
    }
    appendPromHeader(out, "pod_swap_usage_bytes",
           "[ALPHA] Current amount of the pod swap usage in bytes. Reported only on non-windows systems", "gauge");
    for (const auto& pp : node.pods) {
      const PodSnapshot& p = *pp;
      out += "pod_swap_usage_bytes";
      podLabels(out, p);
      valueAndTimestamp(out, 0, ts);
    }
  }

  appendPromHeader(out, "resource_scrape_error",
         "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise", "gauge");
  out += "resource_scrape_error 0\n";
}

}  // namespace kmetrics::sim
