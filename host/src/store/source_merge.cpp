#include "store/source_merge.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace kmetrics {
namespace {

// Replace `current` (from a source with `current_priority`) by `candidate` if the candidate ranks higher.
template <typename Sample>
bool outranks(int candidate_priority, const Sample& candidate, int current_priority, const Sample& current) {
  if (candidate_priority != current_priority) return candidate_priority > current_priority;
  return freshness(candidate) > freshness(current);
}

template <typename Map>
void merge_map(std::span<const SourceBatch> sources, Map Batch::*member, Map& out) {
  using Key = typename Map::key_type;
  // Winning source index per key; samples are copied once, at the end.
  std::unordered_map<Key, size_t, typename Map::hasher> winner;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].batch) continue;
    for (const auto& [key, sample] : (*sources[i].batch).*member) {
      auto [it, inserted] = winner.try_emplace(key, i);
      if (inserted) continue;
      const SourceBatch& current = sources[it->second];
      if (outranks(sources[i].priority, sample, current.priority, ((*current.batch).*member).at(key))) {
        it->second = i;
      }
    }
  }
  out.reserve(winner.size());
  for (const auto& [key, index] : winner) out.emplace(key, ((*sources[index].batch).*member).at(key));
}

}  // namespace

UnixNanos freshness(const NodeSample& node) { return node.point.timestamp; }

UnixNanos freshness(const PodSample& pod) {
  UnixNanos newest = 0;
  for (const auto& [name, c] : pod.containers) newest = std::max(newest, c.point.timestamp);
  return newest;
}

Batch merge_source_batches(std::span<const SourceBatch> sources) {
  Batch out;
  merge_map(sources, &Batch::nodes, out.nodes);
  merge_map(sources, &Batch::pods, out.pods);
  return out;
}

}  // namespace kmetrics
