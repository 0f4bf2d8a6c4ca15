#include "app/batch_abi.hpp"

#include "store/source_merge.hpp"

namespace kmetrics {
namespace {

kmetrics_str str(std::string_view s) { return {s.data(), s.size()}; }

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

BatchAbiView::BatchAbiView(const TickBatch& batch, int64_t collected_unix_ns) : source_(deduplicate(batch)) {
  size_t nodes = 0, pods = 0, containers = 0;
  for (const auto& chunk : source_.chunks) {
    nodes += chunk->nodes().size();
    pods += chunk->pods().size();
    containers += chunk->containers().size();
  }
  extended_.reserve(nodes + pods + containers);
  auto ext = [&](const ExtendedPoint* e) -> const kmetrics_extended* {
    if (e == nullptr || e->present == 0) return nullptr;
    extended_.push_back(toAbi(*e));
    return &extended_.back();
  };
  nodes_.reserve(nodes);
  containers_.reserve(containers);
  for (const auto& chunk : source_.chunks) {
    const NodeChunk& c = *chunk;
    for (const ChunkNode& n : c.nodes()) {
      nodes_.push_back({sizeof(kmetrics_node_sample), str(c.name(n)), toAbi(n.point), ext(c.extended(n.extended))});
    }
    for (const ChunkPod& pod : c.pods()) {
      const kmetrics_str ns = str(c.ns(pod)), name = str(c.name(pod)), node = str(c.str(pod.node));
      if (const ExtendedPoint* e = c.extended(pod.extended); e != nullptr && e->present != 0) {
        pods_.push_back({sizeof(kmetrics_pod_sample), ns, name, node, ext(e)});
      }
      for (const ChunkContainer& k : c.containers(pod)) {
        containers_.push_back({sizeof(kmetrics_container_sample), ns, name, str(c.name(k)), node, toAbi(k.point),
                               ext(c.extended(k.extended))});
      }
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
