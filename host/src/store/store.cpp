#include "store/store.hpp"

#include "store/rate.hpp"

namespace kmetrics {
namespace {

int64_t to_millicores(uint64_t nanocores) {
  const uint64_t m = nanocores / 1000000;
  return m > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(m);
}

uint64_t saturating_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace

Store::Store(std::chrono::nanoseconds metric_resolution, HistoryOptions history)
    : resolution_(metric_resolution) {
  if (history.enabled) history_ = std::make_shared<History>(metric_resolution, std::move(history));
  current_ = std::make_shared<const Snapshot>();
}

bool Store::is_fresh_container(const MetricsPoint& p) const {
  if (!(p.start_time < p.timestamp)) return false;
  int64_t age = 0;
  if (__builtin_sub_overflow(p.timestamp, p.start_time, &age)) return false;
  return age < resolution_.count() && age >= kFreshContainerMinAge.count();
}

void Store::update_node(NodeState& state, bool inserted, const MetricsPoint& point) const {
  PointPair& pp = state.points;
  if (inserted) {
    pp.has_prev = false;
  } else if (point.timestamp > pp.last.timestamp) {
    pp.prev = pp.last;
    pp.has_prev = true;
  } else if (pp.has_prev && pp.prev.timestamp < point.timestamp) {
    // Out-of-order point between prev and last: keep prev.
  } else {
    pp.has_prev = false;
  }
  pp.last = point;
}

Store::PointPair Store::next_container_points(const MetricsPoint& point, const PointPair* before) const {
  PointPair next;
  next.last = point;
  if (is_fresh_container(point)) {
    next.prev = point;
    next.prev.timestamp = point.start_time;
    next.prev.cpu_cumulative_ns = 0;
    next.has_prev = true;
  } else if (before != nullptr && point.start_time < before->last.timestamp) {  // not restarted since
    if (point.timestamp > before->last.timestamp) {
      next.prev = before->last;
      next.has_prev = true;
    } else if (before->has_prev && before->prev.timestamp < point.timestamp) {
      next.prev = before->prev;
      next.has_prev = true;
    }
  }
  return next;
}

void Store::update_pod(PodState& state, const PodSample& sample) const {
  // Common case: the same containers as last tick. Update in place, no allocation.
  bool same_names = state.containers.size() == sample.containers.size();
  if (same_names) {
    auto old = state.containers.begin();
    for (const auto& [name, _] : sample.containers) {
      if ((old++)->name != name) {
        same_names = false;
        break;
      }
    }
  }
  if (same_names) {
    auto old = state.containers.begin();
    for (const auto& [_, container] : sample.containers) {
      old->points = next_container_points(container.point, &old->points);
      ++old;
    }
    return;
  }

  std::vector<ContainerState> next;
  next.reserve(sample.containers.size());
  // Both lists are sorted by name, so one forward walk finds each old container.
  auto old = state.containers.begin();
  const auto old_end = state.containers.end();
  for (const auto& [name, container] : sample.containers) {
    while (old != old_end && old->name < name) ++old;
    const bool found = old != old_end && old->name == name;
    ContainerState c;
    c.points = next_container_points(container.point, found ? &old->points : nullptr);
    if (found) {
      c.name = std::move(old->name);
      c.history = old->history;
    } else {
      c.name = name;
    }
    next.push_back(std::move(c));
  }
  state.containers.swap(next);
}

void Store::build_nodes(const Batch& batch, SnapshotData& out, uint32_t generation) {
  out.nodes.reserve(batch.nodes.size());
  for (const auto& [name, sample] : batch.nodes) {
    auto [it, inserted] = nodes_.try_emplace(name);
    NodeState& state = it->second;
    update_node(state, inserted, sample.point);
    state.seen_generation = generation_;

    HistoryInput hist;
    hist.timestamp = sample.point.timestamp;
    hist.has_working_set = true;
    hist.working_set = sample.point.memory_working_set;
    hist.extended = &sample.extended;

    if (state.points.has_prev) {
      ++out.points.nodes_with_prev;
      Usage usage;
      if (compute_usage(state.points.last, state.points.prev, usage) == RateError::kNone) {
        out.nodes.push_back({name, usage.timestamp, usage.window_ns, usage.cpu_nanocores, usage.memory_bytes});
        hist.has_cpu_rate = true;
        hist.cpu_millicores = to_millicores(usage.cpu_nanocores);
      } else {
        ++out.rate_errors.nodes;
      }
    }
    if (history_) history_->record(state.history, EntityKeyView::node(name), hist, generation);
  }
  // Every batch node is in nodes_, so equal sizes mean nothing is stale: skip the scan.
  if (nodes_.size() != batch.nodes.size()) {
    std::erase_if(nodes_, [this](const auto& kv) { return kv.second.seen_generation != generation_; });
  }
}

void Store::build_pods(const Batch& batch, SnapshotData& out, uint32_t generation) {
  out.pods.reserve(batch.pods.size());
  for (const auto& [ref, sample] : batch.pods) {
    auto [it, inserted] = pods_.try_emplace(ref);
    PodState& state = it->second;
    update_pod(state, sample);
    state.seen_generation = generation_;

    size_t with_prev = 0;
    for (const auto& c : state.containers) with_prev += c.points.has_prev ? 1 : 0;
    out.points.containers_with_prev += with_prev;
    if (with_prev > 0) ++out.points.pods_with_prev;
    const bool servable = with_prev > 0 && with_prev == state.containers.size();

    PodMetrics pod;
    bool has_earliest = false;
    bool all_rates = !state.containers.empty();
    uint64_t pod_cpu = 0, pod_working_set = 0, pod_memory_usage = 0, pod_rss = 0;
    bool any_memory_usage = false, any_rss = false;
    UnixNanos newest = 0;
    if (servable) pod.containers.reserve(state.containers.size());

    auto sample_it = sample.containers.begin();  // same order as state.containers
    for (auto& c : state.containers) {
      const ContainerSample& cs = (sample_it++)->second;
      HistoryInput hist;
      hist.timestamp = c.points.last.timestamp;
      hist.start_time = c.points.last.start_time;
      hist.has_working_set = true;
      hist.working_set = c.points.last.memory_working_set;
      hist.extended = &cs.extended;
      newest = std::max(newest, c.points.last.timestamp);
      pod_working_set = saturating_add(pod_working_set, c.points.last.memory_working_set);
      if (cs.extended.has(ExtendedPoint::kMemoryUsage)) {
        any_memory_usage = true;
        pod_memory_usage = saturating_add(pod_memory_usage, cs.extended.memory_usage);
      }
      if (cs.extended.has(ExtendedPoint::kMemoryRss)) {
        any_rss = true;
        pod_rss = saturating_add(pod_rss, cs.extended.memory_rss);
      }

      Usage usage;
      RateError err = RateError::kEmptyWindow;
      if (c.points.has_prev) {
        err = compute_usage(c.points.last, c.points.prev, usage);
        if (err != RateError::kNone) ++out.rate_errors.containers;
      }
      if (err == RateError::kNone) {
        hist.has_cpu_rate = true;
        hist.cpu_millicores = to_millicores(usage.cpu_nanocores);
        pod_cpu = saturating_add(pod_cpu, usage.cpu_nanocores);
        if (servable) {
          pod.containers.push_back({c.name, usage.cpu_nanocores, usage.memory_bytes});
          if (!has_earliest || pod.timestamp > usage.timestamp) {
            has_earliest = true;
            pod.timestamp = usage.timestamp;
            pod.window_ns = usage.window_ns;
          }
        }
      } else {
        all_rates = false;
      }
      if (history_) history_->record(c.history, EntityKeyView::container(ref.ns, ref.name, c.name), hist, generation);
    }

    if (history_) {
      // Pod-level series: summed over containers like heapster's PodAggregator, unless the source
      // reported the pod value itself. CPU only when every container has a rate (no false dips).
      ExtendedPoint pod_extended = sample.extended;
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
      hist.has_working_set = !state.containers.empty();
      hist.working_set = pod_working_set;
      hist.extended = &pod_extended;
      history_->record(state.history, EntityKeyView::pod_of(ref.ns, ref.name), hist, generation);
    }

    if (servable) {
      pod.ref = ref;
      pod.node = sample.node;
      out.pods.push_back(std::move(pod));
    }
  }
  if (pods_.size() != batch.pods.size()) {
    std::erase_if(pods_, [this](const auto& kv) { return kv.second.seen_generation != generation_; });
  }
}

void Store::apply(const Batch& batch) {
  std::lock_guard lock(apply_mutex_);
  ++generation_;
  // History generations are 32-bit (they sit in every row): wraps after 4e9 ticks, ~136 years at 1 s.
  const auto generation = static_cast<uint32_t>(generation_);
  SnapshotData data;
  data.generation = generation_;
  UnixNanos clock = 0;
  if (history_) clock = history_->begin_apply();
  build_nodes(batch, data, generation);
  build_pods(batch, data, generation);
  if (history_) {
    history_->finish_apply(generation);
    data.history = HistoryView(history_, generation, clock);
  }
  auto next = std::make_shared<const Snapshot>(std::move(data));
  // Keep the outgoing snapshot one more tick: a request that is still reading it then does not pay
  // for freeing 150k pods when it lets go; the writer frees it here, a tick later.
  {
    std::lock_guard lock(current_mutex_);
    current_.swap(next);
  }
  previous_ = std::move(next);  // `next` now holds the outgoing snapshot
}

}  // namespace kmetrics
