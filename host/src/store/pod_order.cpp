// PodTable: the (namespace, name) order of all pods, patched where pods came or went.
#include <algorithm>

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
  // New pods, sorted, each inserted after the kept entries not greater than it.
  std::vector<PodAt> added(pending_);
  std::sort(added.begin(), added.end(), [this](PodAt a, PodAt b) { return ref_of(a) < ref_of(b); });
  std::vector<PodAt> merged;
  merged.reserve(kept.size() + added.size());
  auto cursor = kept.begin();
  for (PodAt a : added) {
    const PodRefView ref = ref_of(a);
    const auto at = std::upper_bound(cursor, kept.end(), ref, [this](const PodRefView& r, PodAt e) { return r < ref_of(e); });
    merged.insert(merged.end(), cursor, at);
    if (!merged.empty() && ref_of(merged.back()) == ref) order_may_have_duplicates_ = true;
    merged.push_back(a);
    cursor = at;
  }
  merged.insert(merged.end(), cursor, kept.end());
  order_.swap(merged);
}

}  // namespace kmetrics
