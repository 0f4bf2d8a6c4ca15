#include "store/node_table.hpp"

#include <algorithm>

namespace kmetrics {

TableResult NodeTable::apply(const TickBatch& batch, TickContext& tick) {
  const uint64_t generation = tick.generation;
  SnapshotData& out = tick.out;
  TableResult result;
  touched_.clear();
  for (const auto& chunk : batch.chunks) {
    for (const ChunkNode& n : chunk->nodes()) {
      const std::string_view name = chunk->name(n);
      auto it = nodes_.find(name);
      if (it == nodes_.end()) it = nodes_.emplace(std::string(name), NodeState{}).first;
      NodeState& state = it->second;
      if (state.seen_generation == generation) {
        result.duplicates = true;
        if (n.point.timestamp < state.sample->point.timestamp) continue;  // the fresher one stays
      } else {
        state.seen_generation = generation;
        touched_.push_back(&state);
      }
      state.chunk = chunk.get();
      state.sample = &n;
    }
  }
  result.distinct = touched_.size();

  out.nodes.reserve(touched_.size());
  for (NodeState* s : touched_) {
    NodeState& state = *s;
    const ChunkNode& sample = *state.sample;
    advance_node(state.points, state.first, sample.point);
    state.first = false;

    HistoryInput hist;
    hist.timestamp = sample.point.timestamp;
    hist.has_working_set = true;
    hist.working_set = sample.point.memory_working_set;
    hist.extended = state.chunk->extended(sample.extended);
    if (state.points.prev.present) {
      ++out.points.nodes_with_prev;
      Usage usage;
      if (compute_usage(state.points.last, state.points.prev, usage) == RateError::kNone) {
        out.nodes.push_back({state.chunk->name(sample), usage.timestamp, usage.window_ns, usage.cpu_nanocores,
                             usage.memory_bytes});
        hist.has_cpu_rate = true;
        hist.cpu_millicores = to_millicores(usage.cpu_nanocores);
      } else {
        ++out.rate_errors.nodes;
      }
    }
    if (tick.history != nullptr) {
      tick.history->record(state.history, EntityKeyView::node(state.chunk->name(sample)), hist, tick.history_generation);
    }
    state.chunk = nullptr;
    state.sample = nullptr;
  }
  // Every batch node is in nodes_, so equal sizes mean nothing is stale: skip the scan.
  if (nodes_.size() != touched_.size()) {
    std::erase_if(nodes_, [generation](const auto& kv) { return kv.second.seen_generation != generation; });
  }
  return result;
}

}  // namespace kmetrics
