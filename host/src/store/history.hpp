// Bounded per-entity history for the heapster-compatible sink.
//
// Rows are stamped with the host clock of the apply() that wrote them, one time for the whole tick
// (as heapster stamped a batch), so pods of one tick line up when a client sums them.
//
// Layout: one entry per node/pod/container with two fixed-capacity rings of rows, a long one
// (cpu/usage_rate, memory/working_set, memory/usage; default 15 min like heapster's long store) and a
// short one (extended series; default 140 s like heapster's short store). A row holds one tick of
// every series of that ring, so the timestamp is stored once. Capacity = ceil(window/resolution)+2,
// so memory is bounded whatever the sources send; rows older than the window are hidden on read.
//
// Why not copy-on-publish: copying ~60 rows for each of ~400k entities every tick would dominate
// apply(). History instead lives behind its own locks, sharded by entity hash: the writer takes one
// shard's lock per entity for the few nanoseconds of an append, a reader holds it while copying one
// series out. Each row carries the generation of the apply() that wrote it, so a reader that holds
// an older Snapshot does not see rows newer than that snapshot (it may lose the oldest row once a
// newer one overwrote it, or a whole entity once expired; both only happen at the window's edge).
//
// Entities that stop reporting are dropped once their last report is older than the long window,
// judged by the host's clock (not by kubelet timestamps, so a node with a wrong clock cannot expire
// everyone else's history).
//
// Thread-safety: record()/finish_apply() from one writer thread (the Store); HistoryView reads from
// any number of threads concurrently with the writer.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "model/sample.hpp"
#include "store/entity_key.hpp"
#include "store/history_series.hpp"
#include "store/row_ring.hpp"

namespace kmetrics {

struct HistoryOptions {
  bool enabled = true;
  std::chrono::nanoseconds long_window = std::chrono::minutes(15);
  // Minimum spacing of long-window rows. Heapster kept one point per resolution (default 60 s), so
  // ~15 points per 15 min; at a 15 s resolution keeping every tick would quadruple memory for no
  // client that asked for it. Ticks closer than this (minus half a resolution of jitter) are not
  // added to the long ring; the short ring keeps every tick.
  std::chrono::nanoseconds long_step = std::chrono::seconds(60);
  std::chrono::nanoseconds short_window = std::chrono::seconds(140);
  // Host clock used for windows and expiry; tests inject their own. Default: system_clock.
  std::function<UnixNanos()> now;
};

struct HistoryPoint {
  UnixNanos timestamp = 0;  // host clock of the tick that recorded it
  int64_t int_value = 0;    // for series where !series_is_float()
  double float_value = 0;   // for series where series_is_float()
};

// What the Store knows about one entity at one tick.
struct HistoryInput {
  UnixNanos timestamp = 0;
  UnixNanos start_time = 0;  // 0 = unknown; a change resets counter-rate computation
  bool has_cpu_rate = false;
  int64_t cpu_millicores = 0;
  bool has_working_set = false;
  uint64_t working_set = 0;
  const ExtendedPoint* extended = nullptr;  // may be null; borrowed for the call
};

class History {
 public:
  History(std::chrono::nanoseconds resolution, HistoryOptions options);

  // Writer side, in this order once per Store::apply(): begin_apply() reads the host clock and
  // returns it (the snapshot's read clock), record() per entity, finish_apply() drops expired entities.
  UnixNanos begin_apply();
  // Lets the Store skip the hash lookup on later ticks: record() fills it on first use. A handle
  // stays valid while its entity is recorded in every apply(); entities recorded in the current
  // apply() are never expired, and the Store drops its handle with the entity's state.
  class Handle {
   private:
    friend class History;
    void* shard = nullptr;
    void* entity = nullptr;
  };
  void record(Handle& handle, const EntityKeyView& entity, const HistoryInput& input, uint32_t generation);
  void record(const EntityKeyView& entity, const HistoryInput& input, uint32_t generation) {
    Handle unused;
    record(unused, entity, input, generation);
  }
  // Drops entities whose last report is older than the long window. Scans everything, so it runs at
  // most once per sweep interval (max(resolution, 60 s)): expiry may lag by that much.
  void finish_apply(uint32_t generation);

  // Reader side (any thread). Rows written after `generation` or at/before `clock - window` are skipped.
  std::vector<HistoryPoint> read(const EntityKeyView& entity, Series series, uint32_t generation,
                                 UnixNanos clock) const;
  std::vector<EntityKey> entities(EntityKind kind, uint32_t generation) const;

  size_t entity_count() const;
  size_t long_capacity() const { return long_capacity_; }
  size_t short_capacity() const { return short_capacity_; }
  UnixNanos now() const { return options_.now(); }

 private:
  struct Entity {
    RowRing<kLongSeriesCount> long_rows;
    RowRing<kShortSeriesCount> short_rows;
    UnixNanos last_seen_clock = 0;  // host clock of the last record(): drives expiry
    uint32_t last_seen_generation = 0;
    UnixNanos last_sample_timestamp = 0;  // kubelet timestamp of the last sample recorded
    // Previous raw counters, for heapster-style rates of the extended counters. Allocated only for
    // entities whose source reports extended series (the kubelet resource endpoint does not).
    struct Counters {
      ExtendedPoint last;
      UnixNanos timestamp = 0;
      UnixNanos start_time = 0;
    };
    std::unique_ptr<Counters> counters;
  };
  struct Shard {
    mutable std::shared_mutex mutex;
    std::unordered_map<EntityKey, Entity, EntityKeyHash, EntityKeyEqual> entities;
  };
  static constexpr size_t kShardCount = 64;

  Shard& shard_for(const EntityKeyView& entity);
  const Shard& shard_for(const EntityKeyView& entity) const;
  void fill_short_row(Entity& e, const HistoryInput& input, HistoryRow<kShortSeriesCount>& row) const;

  HistoryOptions options_;
  size_t long_capacity_;
  size_t short_capacity_;
  int64_t long_min_gap_ns_;  // long rows closer than this to the previous one are skipped
  int64_t sweep_interval_ns_;
  UnixNanos clock_ = 0;  // writer-only copy of the clock taken at the start of this apply
  UnixNanos last_sweep_clock_ = 0;
  std::array<Shard, kShardCount> shards_;
};

// What a Snapshot hands out: history as of that snapshot. Cheap to copy.
class HistoryView {
 public:
  HistoryView() = default;  // history disabled: reads return nothing
  HistoryView(std::shared_ptr<const History> history, uint32_t generation, UnixNanos clock)
      : history_(std::move(history)), generation_(generation), clock_(clock) {}

  bool enabled() const { return history_ != nullptr; }
  // Oldest first.
  std::vector<HistoryPoint> read(const EntityKeyView& entity, Series series) const {
    if (!history_) return {};
    return history_->read(entity, series, generation_, clock_);
  }
  std::vector<EntityKey> entities(EntityKind kind) const {
    if (!history_) return {};
    return history_->entities(kind, generation_);
  }
  UnixNanos clock() const { return clock_; }

 private:
  std::shared_ptr<const History> history_;
  uint32_t generation_ = 0;
  UnixNanos clock_ = 0;
};

}  // namespace kmetrics
