#include "store/history.hpp"

#include <algorithm>
#include <bit>
#include <mutex>

namespace kmetrics {
namespace {

size_t ring_capacity(std::chrono::nanoseconds window, std::chrono::nanoseconds resolution) {
  if (window.count() <= 0) return 0;
  const int64_t res = resolution.count() > 0 ? resolution.count() : 1;
  // +2: kubelet timestamps jitter around the tick, so a window can hold one more point than
  // window/resolution; one more keeps the oldest visible point while the newest is written.
  return static_cast<size_t>((window.count() + res - 1) / res) + 2;
}

UnixNanos system_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr size_t slot(Series s) {
  return is_long_series(s) ? static_cast<size_t>(s) : static_cast<size_t>(s) - kLongSeriesCount;
}

template <size_t N>
void set_int(HistoryRow<N>& row, Series s, int64_t v) {
  row.values[slot(s)] = static_cast<uint64_t>(v);
  row.present |= static_cast<uint16_t>(1u << slot(s));
}

template <size_t N>
void set_float(HistoryRow<N>& row, Series s, double v) {
  row.values[slot(s)] = std::bit_cast<uint64_t>(v);
  row.present |= static_cast<uint16_t>(1u << slot(s));
}

int64_t clamp_to_int64(uint64_t v) {
  return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(v);
}

// Heapster's rate rule: only when the counter's owner did not restart and time moved forward.
// Negative rates (counter reset) are not recorded; heapster reported them (a known bug).
bool counter_rate(uint64_t now_value, uint64_t prev_value, int64_t elapsed_ns, double& out) {
  if (elapsed_ns <= 0 || now_value < prev_value) return false;
  out = 1e9 * static_cast<double>(now_value - prev_value) / static_cast<double>(elapsed_ns);
  return true;
}

template <size_t N>
void append_visible(const RowRing<N>& ring, Series series, uint32_t generation, UnixNanos oldest_exclusive,
                    std::vector<HistoryPoint>& out) {
  const uint16_t bit = static_cast<uint16_t>(1u << slot(series));
  for (size_t i = 0; i < ring.size(); ++i) {
    const auto& row = ring.at(i);
    if (row.generation > generation || row.timestamp <= oldest_exclusive || !(row.present & bit)) continue;
    HistoryPoint p;
    p.timestamp = row.timestamp;
    const uint64_t raw = row.values[slot(series)];
    if (series_is_float(series)) {
      p.float_value = std::bit_cast<double>(raw);
    } else {
      p.int_value = static_cast<int64_t>(raw);
    }
    out.push_back(p);
  }
}

}  // namespace

History::History(std::chrono::nanoseconds resolution, HistoryOptions options)
    : options_(std::move(options)),
      long_capacity_(ring_capacity(options_.long_window, std::max(resolution, options_.long_step))),
      short_capacity_(ring_capacity(options_.short_window, resolution)),
      long_min_gap_ns_(resolution >= options_.long_step ? 1 : (options_.long_step - resolution / 2).count()),
      sweep_interval_ns_(std::max<std::chrono::nanoseconds>(resolution, std::chrono::seconds(60)).count()) {
  if (!options_.now) options_.now = system_now;
}

History::Shard& History::shard_for(const EntityKeyView& entity) {
  return shards_[EntityKeyHash{}(entity) % kShardCount];
}

const History::Shard& History::shard_for(const EntityKeyView& entity) const {
  return shards_[EntityKeyHash{}(entity) % kShardCount];
}

UnixNanos History::begin_apply() {
  clock_ = options_.now();
  return clock_;
}

void History::fill_short_row(Entity& e, const HistoryInput& in, HistoryRow<kShortSeriesCount>& row) const {
  const ExtendedPoint* ext = in.extended;
  if (ext == nullptr) return;
  using F = ExtendedPoint::Field;
  if (ext->has(F::kFilesystemUsage)) set_int(row, Series::kFilesystemUsage, clamp_to_int64(ext->filesystem_usage));
  if (ext->has(F::kMemoryRss)) set_int(row, Series::kMemoryRss, clamp_to_int64(ext->memory_rss));
  if (ext->has(F::kUptimeSeconds)) {
    const uint64_t ms = ext->uptime_seconds > static_cast<uint64_t>(INT64_MAX / 1000)
                            ? static_cast<uint64_t>(INT64_MAX)
                            : ext->uptime_seconds * 1000;
    set_int(row, Series::kUptime, static_cast<int64_t>(ms));
  }

  if (!e.counters) return;  // first report: no rate yet
  const bool same_incarnation = in.start_time == e.counters->start_time;
  int64_t elapsed = 0;
  if (__builtin_sub_overflow(in.timestamp, e.counters->timestamp, &elapsed)) elapsed = 0;
  if (same_incarnation && elapsed > 0) {
    const ExtendedPoint& prev = e.counters->last;
    struct CounterSeries {
      F field;
      uint64_t ExtendedPoint::*value;
      Series series;
    };
    static constexpr CounterSeries kCounters[] = {
        {F::kNetworkRxBytes, &ExtendedPoint::network_rx_bytes, Series::kNetworkRxRate},
        {F::kNetworkTxBytes, &ExtendedPoint::network_tx_bytes, Series::kNetworkTxRate},
        {F::kNetworkRxErrors, &ExtendedPoint::network_rx_errors, Series::kNetworkRxErrorsRate},
        {F::kNetworkTxErrors, &ExtendedPoint::network_tx_errors, Series::kNetworkTxErrorsRate},
        {F::kPageFaults, &ExtendedPoint::page_faults, Series::kPageFaultsRate},
        {F::kMajorPageFaults, &ExtendedPoint::major_page_faults, Series::kMajorPageFaultsRate},
    };
    for (const auto& c : kCounters) {
      double rate = 0;
      if (ext->has(c.field) && prev.has(c.field) && counter_rate(ext->*c.value, prev.*c.value, elapsed, rate)) {
        set_float(row, c.series, rate);
      }
    }
  }
}

void History::record(Handle& handle, const EntityKeyView& entity, const HistoryInput& in, uint32_t generation) {
  if (handle.entity == nullptr) {
    Shard& shard = shard_for(entity);
    std::unique_lock lock(shard.mutex);
    auto it = shard.entities.find(entity);
    if (it == shard.entities.end()) {
      it = shard.entities.emplace(EntityKey(entity), Entity{}).first;
      it->second.long_rows = RowRing<kLongSeriesCount>(long_capacity_);
      it->second.short_rows = RowRing<kShortSeriesCount>(short_capacity_);
    }
    handle.shard = &shard;
    handle.entity = &it->second;  // unordered_map elements do not move on rehash
  }
  std::unique_lock lock(static_cast<Shard*>(handle.shard)->mutex);
  Entity& e = *static_cast<Entity*>(handle.entity);
  e.last_seen_clock = clock_;
  e.last_seen_generation = generation;

  // A sample not newer than the last one (a kubelet repeating itself, an out-of-order point) adds nothing.
  if (in.timestamp <= e.last_sample_timestamp) return;
  e.last_sample_timestamp = in.timestamp;

  // Rows carry the apply's clock, shared by every entity of the tick, not the kubelet's timestamp:
  // heapster stamped a whole batch with one time, and Dashboard sums pods by identical timestamps.
  HistoryRow<kLongSeriesCount> long_row;
  long_row.timestamp = clock_;
  long_row.generation = generation;
  if (in.has_cpu_rate) set_int(long_row, Series::kCpuUsageRate, in.cpu_millicores);
  if (in.has_working_set) set_int(long_row, Series::kMemoryWorkingSet, clamp_to_int64(in.working_set));
  if (in.extended != nullptr && in.extended->has(ExtendedPoint::kMemoryUsage)) {
    set_int(long_row, Series::kMemoryUsage, clamp_to_int64(in.extended->memory_usage));
  }
  const auto* newest_long = e.long_rows.newest();
  int64_t gap = 0;
  const bool spaced = newest_long == nullptr ||
                      (!__builtin_sub_overflow(clock_, newest_long->timestamp, &gap) && gap >= long_min_gap_ns_);
  if (long_row.present != 0 && spaced) e.long_rows.push(long_row);

  if (in.extended != nullptr && in.extended->present != 0) {
    HistoryRow<kShortSeriesCount> short_row;
    short_row.timestamp = clock_;
    short_row.generation = generation;
    fill_short_row(e, in, short_row);
    const auto* newest_short = e.short_rows.newest();
    if (short_row.present != 0 && (newest_short == nullptr || newest_short->timestamp < clock_)) {
      e.short_rows.push(short_row);
    }
    if (!e.counters) e.counters = std::make_unique<Entity::Counters>();
    e.counters->last = *in.extended;
    e.counters->timestamp = in.timestamp;
    e.counters->start_time = in.start_time;
  }
}

void History::finish_apply(uint32_t generation) {
  // A clock that went backwards (host clock step) sweeps right away and restarts the interval.
  if (clock_ >= last_sweep_clock_ && clock_ - last_sweep_clock_ < sweep_interval_ns_) return;
  last_sweep_clock_ = clock_;
  const UnixNanos expiry = clock_ - options_.long_window.count();
  for (Shard& shard : shards_) {
    std::unique_lock lock(shard.mutex);
    std::erase_if(shard.entities, [expiry, generation](const auto& kv) {
      // Entities recorded in this apply are never dropped: the Store holds handles to them.
      return kv.second.last_seen_generation != generation && kv.second.last_seen_clock <= expiry;
    });
  }
}

std::vector<HistoryPoint> History::read(const EntityKeyView& entity, Series series, uint32_t generation,
                                        UnixNanos clock) const {
  std::vector<HistoryPoint> out;
  const Shard& shard = shard_for(entity);
  std::shared_lock lock(shard.mutex);
  auto it = shard.entities.find(entity);
  if (it == shard.entities.end()) return out;
  const Entity& e = it->second;
  if (is_long_series(series)) {
    out.reserve(e.long_rows.size());
    append_visible(e.long_rows, series, generation, clock - options_.long_window.count(), out);
  } else {
    out.reserve(e.short_rows.size());
    append_visible(e.short_rows, series, generation, clock - options_.short_window.count(), out);
  }
  return out;
}

std::vector<EntityKey> History::entities(EntityKind kind, uint32_t generation) const {
  std::vector<EntityKey> out;
  for (const Shard& shard : shards_) {
    std::shared_lock lock(shard.mutex);
    for (const auto& [key, e] : shard.entities) {
      if (key.kind != kind) continue;
      const auto* first_long = e.long_rows.size() ? &e.long_rows.at(0) : nullptr;
      const auto* first_short = e.short_rows.size() ? &e.short_rows.at(0) : nullptr;
      // Hide entities whose only rows are newer than the reader's snapshot.
      if ((first_long && first_long->generation <= generation) ||
          (first_short && first_short->generation <= generation)) {
        out.push_back(key);
      }
    }
  }
  return out;
}

size_t History::entity_count() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::shared_lock lock(shard.mutex);
    n += shard.entities.size();
  }
  return n;
}

}  // namespace kmetrics
