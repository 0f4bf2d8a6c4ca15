#include "kubelet/cadvisor_encoder.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <vector>

#include "kubelet/go_float_format.hpp"
#include "kubelet/resource_metrics_encoder.hpp"

namespace kmetrics::sim {
namespace {

struct Row {
  std::string container, id, image, name, ns, pod;
  uint64_t cpu_nanos = 0;
  uint64_t memory = 0;
  UnixNanos start = 0;
};

std::string podSlice(const PodSnapshot& p) {
  std::string uid = p.uid;
  std::replace(uid.begin(), uid.end(), '-', '_');
  return "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uid + ".slice";
}

void labels(std::string& out, const Row& r, bool with_cpu) {
  out += "{container=\"";
  appendPromLabelValue(out, r.container);
  if (with_cpu) out += "\",cpu=\"total";
  out += "\",id=\"";
  appendPromLabelValue(out, r.id);
  out += "\",image=\"";
  appendPromLabelValue(out, r.image);
  out += "\",name=\"";
  appendPromLabelValue(out, r.name);
  out += "\",namespace=\"";
  appendPromLabelValue(out, r.ns);
  out += "\",pod=\"";
  appendPromLabelValue(out, r.pod);
  out += "\"}";
}

template <typename ValueFn>
void family(std::string& out, const std::vector<Row>& rows, const char* name, const char* help, const char* type,
            bool with_cpu, bool with_ts, int64_t ts, ValueFn value) {
  appendPromHeader(out, name, help, type);
  for (const Row& r : rows) {
    out += name;
    labels(out, r, with_cpu);
    out += ' ';
    appendPromFloat(out, value(r));
    if (with_ts) {
      out += ' ';
      appendInt(out, ts);
    }
    out += '\n';
  }
}

}  // namespace

void encodeCadvisorMetrics(const NodeSnapshot& node, const SampleContext& ctx, std::string& out) {
  const UnixNanos now = ctx.now;
  std::vector<Row> rows;
  rows.reserve(1 + node.pods.size() * 3);
  Row root;
  root.id = "/";
  root.cpu_nanos = ctx.node_cpu_nanos;
  root.memory = node.total_memory_bytes;
  root.start = node.boot_time;
  rows.push_back(root);
  for (const auto& pp : node.pods) {
    const PodSnapshot& p = *pp;
    Row pr;
    pr.id = podSlice(p);
    pr.ns = p.ns;
    pr.pod = p.name;
    pr.start = p.start_time;
    for (const ContainerSnapshot& c : p.containers) {
      Row cr;
      cr.container = c.name;
      cr.id = pr.id + "/cri-containerd-" + c.container_id + ".scope";
      cr.image = "registry.k8s.io/sim/" + c.name + ":1.0";
      cr.name = c.container_id;
      cr.ns = p.ns;
      cr.pod = p.name;
      cr.cpu_nanos = cumulativeCpuNanos(c.cpu_millicores, c.start_time, now);
      cr.memory = c.memory_bytes;
      cr.start = c.start_time;
      pr.cpu_nanos += cr.cpu_nanos;
      pr.memory += cr.memory;
      rows.push_back(std::move(cr));
    }
    rows.push_back(std::move(pr));
  }
  // The Go client orders samples by label values in label-name order: container first, then id.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.container, a.id, a.image, a.name, a.ns, a.pod) <
           std::tie(b.container, b.id, b.image, b.name, b.ns, b.pod);
  });

  const int64_t ts = now / 1'000'000;
  const bool nan = ctx.nan_values;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  auto secs = [](uint64_t ns) { return static_cast<double>(ns) / 1e9; };
  family(out, rows, "container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.",
         "counter", false, true, ts, [&](const Row& r) { return nan ? kNaN : secs(r.cpu_nanos / 10 * 3); });
  family(out, rows, "container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", "counter", true,
         true, ts, [&](const Row& r) { return nan ? kNaN : secs(r.cpu_nanos); });
  family(out, rows, "container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.", "counter",
         false, true, ts, [&](const Row& r) { return nan ? kNaN : secs(r.cpu_nanos - r.cpu_nanos / 10 * 3); });
  family(out, rows, "container_memory_rss", "Size of RSS in bytes.", "gauge", false, true, ts,
         [&](const Row& r) { return nan ? kInf : static_cast<double>(r.memory / 4 * 3 / 4096 * 4096); });
  family(out, rows, "container_memory_usage_bytes",
         "Current memory usage in bytes, including all memory regardless of when it was accessed", "gauge", false,
         true, ts, [&](const Row& r) { return nan ? kInf : static_cast<double>(r.memory + r.memory / 8 / 4096 * 4096); });
  family(out, rows, "container_memory_working_set_bytes", "Current working set in bytes.", "gauge", false, true, ts,
         [&](const Row& r) { return nan ? kInf : static_cast<double>(r.memory); });
  family(out, rows, "container_start_time_seconds", "Start time of the container since unix epoch in seconds.",
         "gauge", false, false, ts, [&](const Row& r) { return static_cast<double>(r.start) / 1e9; });
}

}  // namespace kmetrics::sim
