// The store's pod and container state across ticks, and the pods of each snapshot.
//
// State is kept per chunk key (the node a chunk was scraped for), next to the last chunk of that
// key: the chunk holds each container's `last` point and the names, the state only the `prev`
// points (and history handles). A tick matches a chunk's pods to the previous chunk of the same
// key by walking the two sorted lists; when the names are the same as last tick (the steady state)
// the prevs are updated in place. No pod name is hashed unless pods appeared and disappeared in
// the same tick (a pod that moved to another node keeps its points: it is looked up among the pods
// that left other chunks).
//
// The (namespace, name) order of every pod is kept between ticks as (slot, pod index) entries and
// only patched where pods came or went; each pod knows its rank in it. Publishing reads the chunks
// in order (memory that is next to each other) and writes each pod's metrics at its rank: no sort.
//
// A pod in more than one chunk of a tick (same namespace and name) is served from the freshest
// copy (newest container timestamp; ties: the later chunk); each copy keeps its own points.
//
// Thread-safety: none; the Store serializes apply().
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/tick_batch.hpp"
#include "store/history.hpp"
#include "store/point_rules.hpp"
#include "store/string_hash.hpp"
#include "store/tick_context.hpp"

namespace kmetrics {

class PodTable {
 public:
  explicit PodTable(std::chrono::nanoseconds resolution) : resolution_(resolution) {}

  // Advances every pod's points to the batch, then puts the servable pods in tick.out.pods in
  // (namespace, name) order (pods_sorted) with their containers in tick.out.containers, counts
  // points and rate errors, and records history.
  TableResult apply(const TickBatch& batch, TickContext& tick);

 private:
  static constexpr uint32_t kGone = UINT32_MAX;
  static constexpr uint32_t kLoser = UINT32_MAX;  // a rank: another chunk's copy of this pod is served

  struct Slot {
    std::string key;  // map key
    std::shared_ptr<const NodeChunk> chunk;  // the key's latest chunk: names and `last` points
    std::vector<PrevPoint> prev;             // per container of `chunk`
    std::vector<History::Handle> pod_history;        // per pod of `chunk` (history on)
    std::vector<History::Handle> container_history;  // per container of `chunk` (history on)
    std::vector<uint32_t> rank;  // per pod of `chunk`: its index in order_, or kLoser
    uint64_t seen_generation = 0;
    uint32_t position = 0;  // the chunk's index in this tick's batch
    // Only during apply(), when the pods differ from last tick: last tick's state, and where each
    // of its pods went (kGone: left this chunk).
    std::shared_ptr<const NodeChunk> old_chunk;
    std::vector<PrevPoint> old_prev;
    std::vector<History::Handle> old_pod_history, old_container_history;
    std::vector<uint32_t> remap;  // empty: same pods at the same indices
  };
  struct PodAt {
    uint32_t slot = 0;
    uint32_t pod = 0;
  };
  // Where a pod's earlier points come from: a pod of last tick's chunk of some slot.
  struct Source {
    const Slot* slot = nullptr;  // null: no earlier points
    uint32_t pod = 0;            // index in slot->old_chunk
  };

  // pod_table.cpp: state
  uint32_t acquire_slot(std::string_view key, uint64_t generation);
  void advance_slot(uint32_t slot, std::shared_ptr<const NodeChunk> chunk);
  void retire_slot(uint32_t slot);
  void carry_pod(Slot& to, uint32_t pod, const Source& from);
  void resolve_pending();
  void release_slots(uint64_t generation);
  // pod_order.cpp: the (namespace, name) order and ranks
  PodRefView ref_of(PodAt at) const;
  void update_order(uint64_t generation);
  // Ranks every pod; returns the number of distinct pods (copies of one pod count once).
  size_t rank_pods(bool& duplicates);
  PodAt best_of(size_t begin, size_t end) const;
  // pod_publish.cpp: metrics and history
  void publish(const TickBatch& batch, size_t live_slots, TickContext& tick);
  // Returns whether the pod is served; if so its metrics are in `metrics`, its containers appended.
  bool publish_pod(Slot& slot, uint32_t pod, TickContext& tick, PodMetrics& metrics);

  const std::chrono::nanoseconds resolution_;
  bool history_on_ = false;
  StringMap<uint32_t> slot_of_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  std::vector<PodAt> order_;  // every pod of the last tick, by (namespace, name); duplicates adjacent
  bool order_may_have_duplicates_ = false;

  // Per apply(); reused between ticks.
  std::vector<uint8_t> served_;    // by rank: the pod at that rank is served
  std::vector<uint32_t> touched_;  // slots with a chunk this tick, then the retired ones
  std::vector<PodAt> pending_;     // pods new to their chunk: (slot, new index)
  std::vector<PodAt> removed_;     // pods that left their chunk: (slot, old index)
  bool order_changed_ = false;
};

}  // namespace kmetrics
