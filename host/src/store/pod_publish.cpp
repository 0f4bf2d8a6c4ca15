// PodTable: pod metrics (metrics-server's pod rules) and history, in (namespace, name) order.
#include <algorithm>
#include <cassert>

#include "store/pod_table.hpp"
#include "store/rate.hpp"

namespace kmetrics {

void PodTable::publish(const TickBatch& batch, size_t live_slots, TickContext& tick) {
  SnapshotData& out = tick.out;
  // Pods are computed chunk after chunk (their data is contiguous) and written at their rank; the
  // ranks of pods not served are then squeezed out.
  out.pods_sorted = true;
  out.pods.resize(order_.size());
  served_.assign(order_.size(), 0);
  // PodMetrics::containers point into this: it must never reallocate. Each container of the
  // batch is published at most once.
  out.containers.reserve(batch.container_count());
  for (size_t t = 0; t < live_slots; ++t) {
    Slot& slot = slots_[touched_[t]];
    const size_t pods = slot.chunk->pods().size();
    for (uint32_t j = 0; j < pods; ++j) {
      const uint32_t rank = slot.rank[j];
      if (rank == kLoser) continue;
      if (publish_pod(slot, j, tick, out.pods[rank])) served_[rank] = 1;
    }
  }
  size_t kept = 0;
  for (size_t r = 0; r < out.pods.size(); ++r) {
    if (served_[r]) out.pods[kept++] = out.pods[r];
  }
  out.pods.resize(kept);
}

bool PodTable::publish_pod(Slot& slot, uint32_t pod_index, TickContext& tick, PodMetrics& metrics) {
  SnapshotData& out = tick.out;
  History* history = tick.history;
  const NodeChunk& chunk = *slot.chunk;
  const ChunkPod& pod = chunk.pods()[pod_index];
  const auto containers = chunk.containers(pod);
  const PrevPoint* prev = slot.prev.data() + pod.first_container;

  size_t with_prev = 0;
  for (size_t k = 0; k < containers.size(); ++k) with_prev += prev[k].present ? 1 : 0;
  out.points.containers_with_prev += with_prev;
  if (with_prev > 0) ++out.points.pods_with_prev;
  const bool servable = with_prev > 0 && with_prev == containers.size();

  const size_t first = out.containers.size();
  bool has_earliest = false;
  bool all_rates = !containers.empty();
  uint64_t pod_cpu = 0, pod_working_set = 0, pod_memory_usage = 0, pod_rss = 0;
  bool any_memory_usage = false, any_rss = false;
  UnixNanos newest = 0;
  const std::string_view ns = chunk.ns(pod);
  const std::string_view name = chunk.name(pod);

  for (size_t k = 0; k < containers.size(); ++k) {
    const ChunkContainer& c = containers[k];
    Usage usage;
    RateError err = RateError::kEmptyWindow;
    if (prev[k].present) {
      err = compute_usage(c.point, prev[k], usage);
      if (err != RateError::kNone) ++out.rate_errors.containers;
    }
    if (err == RateError::kNone) {
      pod_cpu = saturating_add(pod_cpu, usage.cpu_nanocores);
      if (servable) {
        assert(out.containers.size() < out.containers.capacity());
        out.containers.push_back({chunk.name(c), usage.cpu_nanocores, usage.memory_bytes});
        if (!has_earliest || metrics.timestamp > usage.timestamp) {
          has_earliest = true;
          metrics.timestamp = usage.timestamp;
          metrics.window_ns = usage.window_ns;
        }
      }
    } else {
      all_rates = false;
    }
    if (history == nullptr) continue;

    const ExtendedPoint* ext = chunk.extended(c.extended);
    newest = std::max(newest, c.point.timestamp);
    pod_working_set = saturating_add(pod_working_set, c.point.memory_working_set);
    if (ext != nullptr && ext->has(ExtendedPoint::kMemoryUsage)) {
      any_memory_usage = true;
      pod_memory_usage = saturating_add(pod_memory_usage, ext->memory_usage);
    }
    if (ext != nullptr && ext->has(ExtendedPoint::kMemoryRss)) {
      any_rss = true;
      pod_rss = saturating_add(pod_rss, ext->memory_rss);
    }
    HistoryInput hist;
    hist.timestamp = c.point.timestamp;
    hist.start_time = c.point.start_time;
    hist.has_working_set = true;
    hist.working_set = c.point.memory_working_set;
    hist.extended = ext;
    hist.has_cpu_rate = err == RateError::kNone;
    hist.cpu_millicores = hist.has_cpu_rate ? to_millicores(usage.cpu_nanocores) : 0;
    history->record(slot.container_history[pod.first_container + k], EntityKeyView::container(ns, name, chunk.name(c)),
                    hist, tick.history_generation);
  }

  if (history != nullptr) {
    // Pod-level series: summed over containers like heapster's PodAggregator, unless the source
    // reported the pod value itself. CPU only when every container has a rate (no false dips).
    const ExtendedPoint* reported = chunk.extended(pod.extended);
    ExtendedPoint pod_extended = reported != nullptr ? *reported : ExtendedPoint{};
    if (any_memory_usage && !pod_extended.has(ExtendedPoint::kMemoryUsage)) {
      pod_extended.memory_usage = pod_memory_usage;
      pod_extended.present |= ExtendedPoint::kMemoryUsage;
    }
    if (any_rss && !pod_extended.has(ExtendedPoint::kMemoryRss)) {
      pod_extended.memory_rss = pod_rss;
      pod_extended.present |= ExtendedPoint::kMemoryRss;
    }
    HistoryInput hist;
    hist.timestamp = newest;
    hist.has_cpu_rate = all_rates;
    hist.cpu_millicores = to_millicores(pod_cpu);
    hist.has_working_set = !containers.empty();
    hist.working_set = pod_working_set;
    hist.extended = &pod_extended;
    history->record(slot.pod_history[pod_index], EntityKeyView::pod_of(ns, name), hist, tick.history_generation);
  }

  if (!servable) return false;
  metrics.ref = {ns, name};
  metrics.node = chunk.str(pod.node);
  metrics.containers = std::span<const ContainerMetrics>(out.containers.data() + first, out.containers.size() - first);
  return true;
}

}  // namespace kmetrics
