#include "cluster/view_state.hpp"

#include <algorithm>
#include <utility>

namespace kmetrics::cluster {

namespace {
using PodPtr = ClusterSnapshot::PodPtr;
using Key = std::pair<std::string_view, std::string_view>;  // (namespace, name): the shard order

Key key_of(const PodPtr& p) { return {p->namespace_name(), p->name()}; }

std::vector<PodPtr>::const_iterator find_position(const std::vector<PodPtr>& pods, Key key) {
  return std::lower_bound(pods.begin(), pods.end(), key, [](const PodPtr& p, Key k) { return key_of(p) < k; });
}

// Sorted by key; of equal keys the last one stays (stable sort, then keep the last of each run).
void sort_unique(std::vector<PodPtr>& pods) {
  std::stable_sort(pods.begin(), pods.end(), [](const PodPtr& a, const PodPtr& b) { return key_of(a) < key_of(b); });
  auto w = pods.begin();
  for (auto r = pods.begin(); r != pods.end(); ++r) {
    if (std::next(r) != pods.end() && key_of(*std::next(r)) == key_of(*r)) continue;  // a later one follows
    if (w != r) *w = std::move(*r);
    ++w;
  }
  pods.erase(w, pods.end());
}
}  // namespace

ClusterState::ClusterState(LabelSelector node_selector) : node_selector_(std::move(node_selector)) {}

void ClusterState::replace_nodes(NodeMap nodes) {
  std::lock_guard lock(mu_);
  nodes_.swap(nodes);
  nodes_dirty_ = true;
  if (!nodes_synced_) sync_dirty_ = true;
  nodes_synced_ = true;
}  // the previous map is destroyed here, after the unlock (declared before the guard)

void ClusterState::upsert_node(ClusterSnapshot::NodePtr node) {
  ClusterSnapshot::NodePtr old;
  std::lock_guard lock(mu_);
  auto& slot = nodes_[node->name];
  old = std::move(slot);
  slot = std::move(node);
  nodes_dirty_ = true;
}

void ClusterState::delete_node(const std::string& name) {
  ClusterSnapshot::NodePtr old;
  std::lock_guard lock(mu_);
  auto it = nodes_.find(name);
  if (it == nodes_.end()) return;
  old = std::move(it->second);
  nodes_.erase(it);
  nodes_dirty_ = true;
}

const std::vector<PodPtr>& ClusterState::pods_of(size_t shard) const {
  return pod_dirty_.test(shard) ? working_[shard] : last_->pod_shards_[shard]->pods;
}

std::vector<PodPtr>& ClusterState::writable(size_t shard) {
  if (!pod_dirty_.test(shard)) {
    working_[shard] = last_->pod_shards_[shard]->pods;  // ~600 pointers: copy-on-write of one shard
    pod_dirty_.set(shard);
  }
  return working_[shard];
}

void ClusterState::replace_pods(PodList pods) {
  size_t count = 0;
  for (auto& shard : pods) {  // outside the lock: the list is ours
    sort_unique(shard);
    count += shard.size();
  }
  std::lock_guard lock(mu_);
  working_.swap(pods);
  pod_count_ = count;
  pod_dirty_.set();
  if (!pods_synced_) sync_dirty_ = true;
  pods_synced_ = true;
}  // the previous working vectors are destroyed here, after the unlock (declared before the guard)

void ClusterState::upsert_pod(PodPtr pod) {
  const size_t shard = pod_shard_of(pod->namespace_name(), pod->name());
  PodPtr old;
  std::lock_guard lock(mu_);
  auto& pods = writable(shard);
  const auto pos = find_position(pods, key_of(pod));
  if (pos != pods.end() && key_of(*pos) == key_of(pod)) {
    old = std::exchange(pods[static_cast<size_t>(pos - pods.begin())], std::move(pod));
  } else {
    pods.insert(pos, std::move(pod));
    ++pod_count_;
  }
}

void ClusterState::delete_pod(std::string_view ns, std::string_view name) {
  const size_t shard = pod_shard_of(ns, name);
  PodPtr old;
  std::lock_guard lock(mu_);
  const Key key{ns, name};
  {
    const auto& current = pods_of(shard);
    const auto pos = find_position(current, key);
    if (pos == current.end() || key_of(*pos) != key) return;  // absent: the shard stays clean
  }
  auto& pods = writable(shard);
  const auto pos = find_position(pods, key);
  old = std::move(pods[static_cast<size_t>(pos - pods.begin())]);
  pods.erase(pos);
  --pod_count_;
}

bool ClusterState::dirty() const {
  std::lock_guard lock(mu_);
  return nodes_dirty_ || pod_dirty_.any() || sync_dirty_;
}

std::shared_ptr<const ClusterSnapshot> ClusterState::publish() {
  std::lock_guard lock(mu_);
  if (!nodes_dirty_ && pod_dirty_.none() && !sync_dirty_) return last_;
  auto next = std::make_shared<ClusterSnapshot>(*last_);  // shares every shard and the node list
  if (nodes_dirty_) {
    auto list = std::make_shared<ClusterSnapshot::NodeList>();
    list->reserve(nodes_.size());
    for (const auto& [name, node] : nodes_) {
      if (node_selector_.matches(node->labels)) list->push_back(node);
    }
    std::sort(list->begin(), list->end(), [](const auto& a, const auto& b) { return a->name < b->name; });
    next->nodes_ = std::move(list);
  }
  for (size_t i = 0; i < ClusterSnapshot::kPodShards; ++i) {
    if (!pod_dirty_.test(i)) continue;
    auto shard = std::make_shared<ClusterSnapshot::PodShard>();
    shard->pods = std::exchange(working_[i], {});  // sorted already; the snapshot is the truth now
    shard->pods.shrink_to_fit();                   // inserts may have doubled the capacity
    shard->build_indexes();                        // positions refer to the sorted order
    next->pod_shards_[i] = std::move(shard);
  }
  next->pod_count_ = pod_count_;
  next->nodes_synced_ = nodes_synced_;
  next->pods_synced_ = pods_synced_;
  next->generation_ = last_->generation_ + 1;
  nodes_dirty_ = false;
  pod_dirty_.reset();
  sync_dirty_ = false;
  last_ = next;
  return last_;
}

}  // namespace kmetrics::cluster
