#include "app/batch_abi.hpp"

namespace kmetrics {
namespace {

kmetrics_str str(const std::string& s) { return {s.data(), s.size()}; }

kmetrics_point toAbi(const MetricsPoint& p) {
  return {p.timestamp, p.start_time, p.cpu_cumulative_ns, p.memory_working_set};
}

kmetrics_extended toAbi(const ExtendedPoint& e) {
  kmetrics_extended x{};
  x.struct_size = sizeof(kmetrics_extended);
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

}  // namespace

BatchAbiView::BatchAbiView(const Batch& batch, int64_t collected_unix_ns) {
  size_t containers = 0;
  for (const auto& [_, pod] : batch.pods) containers += pod.containers.size();
  extended_.reserve(batch.nodes.size() + batch.pods.size() + containers);
  auto ext = [&](const ExtendedPoint& e) -> const kmetrics_extended* {
    if (e.present == 0) return nullptr;
    extended_.push_back(toAbi(e));
    return &extended_.back();
  };
  nodes_.reserve(batch.nodes.size());
  for (const auto& [name, n] : batch.nodes) {
    nodes_.push_back({sizeof(kmetrics_node_sample), str(name), toAbi(n.point), ext(n.extended)});
  }
  containers_.reserve(containers);
  for (const auto& [ref, pod] : batch.pods) {
    if (pod.extended.present != 0) {
      pods_.push_back({sizeof(kmetrics_pod_sample), str(ref.ns), str(ref.name), str(pod.node), ext(pod.extended)});
    }
    for (const auto& [cname, c] : pod.containers) {
      containers_.push_back({sizeof(kmetrics_container_sample), str(ref.ns), str(ref.name), str(cname), str(pod.node),
                             toAbi(c.point), ext(c.extended)});
    }
  }
  batch_.struct_size = sizeof(kmetrics_batch);
  batch_.collected_unix_ns = collected_unix_ns;
  batch_.nodes = nodes_.data();
  batch_.node_count = nodes_.size();
  batch_.pods = pods_.data();
  batch_.pod_count = pods_.size();
  batch_.containers = containers_.data();
  batch_.container_count = containers_.size();
}

}  // namespace kmetrics
