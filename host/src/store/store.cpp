#include "store/store.hpp"

namespace kmetrics {

Store::Store(std::chrono::nanoseconds metric_resolution, HistoryOptions history)
    : resolution_(metric_resolution), pods_(metric_resolution) {
  if (history.enabled) history_ = std::make_shared<History>(metric_resolution, std::move(history));
  current_ = std::make_shared<const Snapshot>();
}

Store::ApplyResult Store::apply(const TickBatch& batch) {
  std::lock_guard lock(apply_mutex_);
  ++generation_;
  // History generations are 32-bit (they sit in every row): wraps after 4e9 ticks, ~136 years at 1 s.
  const auto generation = static_cast<uint32_t>(generation_);
  SnapshotData data;
  data.generation = generation_;
  UnixNanos clock = 0;
  if (history_) clock = history_->begin_apply();
  TickContext tick{generation_, data, history_.get(), generation};
  const TableResult nodes = nodes_.apply(batch, tick);
  const TableResult pods = pods_.apply(batch, tick);
  if (history_) {
    history_->finish_apply(generation);
    data.history = HistoryView(history_, generation, clock);
  }
  // The metrics' names point into the chunks.
  data.owners.assign(batch.chunks.begin(), batch.chunks.end());
  auto next = std::make_shared<const Snapshot>(std::move(data));
  {
    std::lock_guard lock(current_mutex_);
    current_.swap(next);
  }
  // `next` now holds the outgoing snapshot. If a request is still reading it, keep it one more tick
  // so that the request does not pay for freeing it when it lets go; else free it now.
  if (next.use_count() == 1) next.reset();
  previous_ = std::move(next);
  return {nodes.distinct, pods.distinct, nodes.duplicates || pods.duplicates};
}

}  // namespace kmetrics
