// PodTable: the (namespace, name) order of all pods, patched where pods came or went, and each
// pod's rank in it.
#include <algorithm>
#include <utility>

#include "store/pod_table.hpp"

namespace kmetrics {

PodRefView PodTable::ref_of(PodAt at) const {
  const NodeChunk& chunk = *slots_[at.slot].chunk;
  const ChunkPod& pod = chunk.pods()[at.pod];
  return {chunk.ns(pod), chunk.name(pod)};
}

void PodTable::update_order(uint64_t generation) {
  if (!order_changed_) return;  // same pods at the same places: last tick's order holds
  // Last tick's entries, moved to their pods' new indices; pods that left are dropped.
  std::vector<PodAt> kept;
  kept.reserve(order_.size());
  for (PodAt e : order_) {
    const Slot& slot = slots_[e.slot];
    if (slot.seen_generation != generation) continue;
    if (!slot.remap.empty()) {
      e.pod = slot.remap[e.pod];
      if (e.pod == kGone) continue;
    }
    kept.push_back(e);
  }
  // New pods, sorted (by their names, not through their slots: the first tick sorts every pod), each
  // inserted after the kept entries not greater than it.
  std::vector<std::pair<PodRefView, PodAt>> added;
  added.reserve(pending_.size());
  for (PodAt p : pending_) added.emplace_back(ref_of(p), p);
  std::sort(added.begin(), added.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<PodAt> merged;
  merged.reserve(kept.size() + added.size());
  auto cursor = kept.begin();
  for (const auto& [ref, at] : added) {
    const auto upper = std::upper_bound(cursor, kept.end(), ref, [this](const PodRefView& r, PodAt e) { return r < ref_of(e); });
    merged.insert(merged.end(), cursor, upper);
    if (!merged.empty() && ref_of(merged.back()) == ref) order_may_have_duplicates_ = true;
    merged.push_back(at);
    cursor = upper;
  }
  merged.insert(merged.end(), cursor, kept.end());
  order_.swap(merged);
}

size_t PodTable::rank_pods(bool& duplicates) {
  if (order_changed_) {
    for (uint32_t k = 0; k < order_.size(); ++k) slots_[order_[k].slot].rank[order_[k].pod] = k;
  }
  duplicates = false;
  if (!order_may_have_duplicates_) return order_.size();
  // Copies of one pod are adjacent: the best one keeps its rank, the others are not served. Done
  // every tick while there are copies: which one is freshest can change.
  size_t served = 0;
  for (size_t k = 0; k < order_.size();) {
    const PodRefView ref = ref_of(order_[k]);
    size_t end = k + 1;
    while (end < order_.size() && ref_of(order_[end]) == ref) ++end;
    if (end - k > 1) {
      duplicates = true;
      const PodAt best = best_of(k, end);
      for (size_t i = k; i < end; ++i) {
        const PodAt e = order_[i];
        const bool wins = e.slot == best.slot && e.pod == best.pod;
        slots_[e.slot].rank[e.pod] = wins ? static_cast<uint32_t>(i) : kLoser;
      }
    }
    ++served;
    k = end;
  }
  order_may_have_duplicates_ = duplicates;
  return served;
}

PodTable::PodAt PodTable::best_of(size_t begin, size_t end) const {
  auto freshness = [this](PodAt at) {
    const NodeChunk& chunk = *slots_[at.slot].chunk;
    return chunk.freshness(chunk.pods()[at.pod]);
  };
  PodAt best = order_[begin];
  UnixNanos best_fresh = freshness(best);
  for (size_t i = begin + 1; i < end; ++i) {
    const PodAt candidate = order_[i];
    const UnixNanos fresh = freshness(candidate);
    if (fresh > best_fresh || (fresh == best_fresh && slots_[candidate.slot].position > slots_[best.slot].position)) {
      best = candidate;
      best_fresh = fresh;
    }
  }
  return best;
}

}  // namespace kmetrics
