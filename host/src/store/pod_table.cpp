#include "store/pod_table.hpp"

#include <unordered_map>
#include <utility>

namespace kmetrics {
namespace {

template <class T>
void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

}  // namespace

TableResult PodTable::apply(const TickBatch& batch, TickContext& tick) {
  const uint64_t generation = tick.generation;
  history_on_ = tick.history != nullptr;
  touched_.clear();
  pending_.clear();
  removed_.clear();
  order_changed_ = false;
  for (size_t i = 0; i < batch.chunks.size(); ++i) {
    const auto& chunk = batch.chunks[i];
    if (chunk->pods().empty()) continue;
    const uint32_t s = acquire_slot(chunk->key(), generation);
    slots_[s].position = static_cast<uint32_t>(i);
    touched_.push_back(s);
    advance_slot(s, chunk);
  }
  const size_t live = touched_.size();  // touched_[0, live): this tick's slots, in batch order
  if (slot_of_.size() != live) {  // some keys sent nothing this tick: their pods left
    for (const auto& [key, s] : slot_of_) {
      if (slots_[s].seen_generation != generation) {
        retire_slot(s);
        touched_.push_back(s);
      }
    }
  }
  resolve_pending();
  update_order(generation);
  TableResult result;
  result.distinct = rank_pods(result.duplicates);
  publish(batch, live, tick);
  release_slots(generation);
  return result;
}

uint32_t PodTable::acquire_slot(std::string_view key, uint64_t generation) {
  // Two chunks with one key in a tick (not produced by the scrape cycle, but allowed): the later
  // ones get their own slots under "key\0<n>".
  std::string alternative;
  std::string_view k = key;
  for (int n = 1;; ++n) {
    auto it = slot_of_.find(k);
    if (it == slot_of_.end()) break;
    Slot& slot = slots_[it->second];
    if (slot.seen_generation != generation) {
      slot.seen_generation = generation;
      return it->second;
    }
    alternative = std::string(key) + '\0' + std::to_string(n);
    k = alternative;
  }
  uint32_t s = 0;
  if (!free_slots_.empty()) {
    s = free_slots_.back();
    free_slots_.pop_back();
  } else {
    s = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  slots_[s].key = std::string(k);
  slots_[s].seen_generation = generation;
  slot_of_.emplace(slots_[s].key, s);
  order_changed_ = true;
  return s;
}

void PodTable::advance_slot(uint32_t s, std::shared_ptr<const NodeChunk> chunk) {
  Slot& slot = slots_[s];
  std::shared_ptr<const NodeChunk> old = std::move(slot.chunk);
  slot.chunk = std::move(chunk);
  const NodeChunk& now = *slot.chunk;
  if (old != nullptr && old->same_layout(now)) {
    // Steady state: every container is where it was last tick.
    const auto before = old->containers();
    const auto after = now.containers();
    for (size_t i = 0; i < after.size(); ++i) {
      slot.prev[i] = next_container_prev(after[i].point, &before[i].point, slot.prev[i], resolution_);
    }
    slot.remap.clear();
    return;
  }

  slot.old_chunk = std::move(old);
  slot.old_prev = std::exchange(slot.prev, std::vector<PrevPoint>(now.containers().size()));
  if (history_on_) {
    slot.old_pod_history = std::exchange(slot.pod_history, std::vector<History::Handle>(now.pods().size()));
    slot.old_container_history =
        std::exchange(slot.container_history, std::vector<History::Handle>(now.containers().size()));
  }
  const auto before = slot.old_chunk ? slot.old_chunk->pods() : std::span<const ChunkPod>{};
  const auto after = now.pods();
  slot.remap.assign(before.size(), kGone);
  const size_t removed_before = removed_.size(), pending_before = pending_.size();
  // Both lists are sorted by (namespace, name): one walk pairs them.
  size_t i = 0, j = 0;
  while (i < before.size() && j < after.size()) {
    const NodeChunk& was = *slot.old_chunk;
    const int c = compare_pod_refs(was.ns(before[i]), was.name(before[i]), now.ns(after[j]), now.name(after[j]));
    if (c < 0) {
      removed_.push_back({s, static_cast<uint32_t>(i++)});
    } else if (c > 0) {
      pending_.push_back({s, static_cast<uint32_t>(j++)});
    } else {
      slot.remap[i] = static_cast<uint32_t>(j);
      carry_pod(slot, static_cast<uint32_t>(j++), Source{&slot, static_cast<uint32_t>(i++)});
    }
  }
  for (; i < before.size(); ++i) removed_.push_back({s, static_cast<uint32_t>(i)});
  for (; j < after.size(); ++j) pending_.push_back({s, static_cast<uint32_t>(j)});
  if (removed_.size() == removed_before && pending_.size() == pending_before) {
    slot.remap.clear();  // the same pods (only containers changed): every pod keeps its index and rank
    return;
  }
  order_changed_ = true;
  slot.rank.assign(after.size(), 0);
}

void PodTable::retire_slot(uint32_t s) {
  Slot& slot = slots_[s];
  order_changed_ = true;
  slot.old_chunk = std::move(slot.chunk);
  slot.old_prev = std::move(slot.prev);
  slot.old_pod_history = std::move(slot.pod_history);
  slot.old_container_history = std::move(slot.container_history);
  const size_t pods = slot.old_chunk->pods().size();
  slot.remap.assign(pods, kGone);
  for (size_t i = 0; i < pods; ++i) removed_.push_back({s, static_cast<uint32_t>(i)});
}

void PodTable::carry_pod(Slot& to, uint32_t pod, const Source& from) {
  const NodeChunk& chunk = *to.chunk;
  const ChunkPod& p = chunk.pods()[pod];
  const auto containers = chunk.containers(p);
  PrevPoint* prev = to.prev.data() + p.first_container;
  History::Handle* handles = history_on_ ? to.container_history.data() + p.first_container : nullptr;
  if (from.slot == nullptr) {
    for (size_t k = 0; k < containers.size(); ++k) {
      prev[k] = next_container_prev(containers[k].point, nullptr, PrevPoint{}, resolution_);
    }
    return;
  }
  const NodeChunk& was = *from.slot->old_chunk;
  const ChunkPod& old_pod = was.pods()[from.pod];
  const auto old_containers = was.containers(old_pod);
  if (history_on_) to.pod_history[pod] = from.slot->old_pod_history[from.pod];
  // Both sorted by name: one forward walk finds each old container.
  size_t o = 0;
  for (size_t k = 0; k < containers.size(); ++k) {
    const std::string_view name = chunk.name(containers[k]);
    while (o < old_containers.size() && was.name(old_containers[o]) < name) ++o;
    if (o < old_containers.size() && was.name(old_containers[o]) == name) {
      const size_t index = old_pod.first_container + o;
      prev[k] = next_container_prev(containers[k].point, &old_containers[o].point, from.slot->old_prev[index],
                                    resolution_);
      if (handles != nullptr) handles[k] = from.slot->old_container_history[index];
    } else {
      prev[k] = next_container_prev(containers[k].point, nullptr, PrevPoint{}, resolution_);
    }
  }
}

void PodTable::resolve_pending() {
  if (pending_.empty()) return;
  // Pods that left a chunk this tick, by name: a new pod may be one of them that moved.
  std::unordered_map<PodRefView, PodAt, PodRefViewHash> left;
  left.reserve(removed_.size());
  for (const PodAt& r : removed_) {
    const NodeChunk& was = *slots_[r.slot].old_chunk;
    const ChunkPod& p = was.pods()[r.pod];
    left.try_emplace(PodRefView{was.ns(p), was.name(p)}, r);
  }
  for (const PodAt& p : pending_) {
    Slot& to = slots_[p.slot];
    Source from;
    if (!left.empty()) {
      const ChunkPod& pod = to.chunk->pods()[p.pod];
      if (auto it = left.find(PodRefView{to.chunk->ns(pod), to.chunk->name(pod)}); it != left.end()) {
        from = Source{&slots_[it->second.slot], it->second.pod};
      }
    }
    carry_pod(to, p.pod, from);
  }
}

void PodTable::release_slots(uint64_t generation) {
  for (uint32_t s : touched_) {
    Slot& slot = slots_[s];
    if (slot.seen_generation != generation) {
      slot_of_.erase(slot.key);
      slot = Slot{};
      free_slots_.push_back(s);
      continue;
    }
    slot.old_chunk.reset();
    release(slot.old_prev);
    release(slot.old_pod_history);
    release(slot.old_container_history);
    release(slot.remap);
  }
}

}  // namespace kmetrics
