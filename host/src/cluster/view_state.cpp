#include "cluster/view_state.hpp"

#include <algorithm>

namespace kmetrics::cluster {

ClusterState::ClusterState(LabelSelector node_selector) : node_selector_(std::move(node_selector)) {}

std::string ClusterState::pod_key(std::string_view ns, std::string_view name) {
  std::string k;
  k.reserve(ns.size() + 1 + name.size());
  k.append(ns).append(1, '/').append(name);
  return k;
}

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

void ClusterState::replace_pods(PodMaps pods) {
  std::lock_guard lock(mu_);
  pods_.swap(pods);
  pod_count_ = 0;
  for (const auto& m : pods_) pod_count_ += m.size();
  pod_dirty_.set();
  if (!pods_synced_) sync_dirty_ = true;
  pods_synced_ = true;
}

void ClusterState::upsert_pod(ClusterSnapshot::PodPtr pod) {
  size_t shard = pod_shard_of(pod->namespace_name, pod->name);
  std::string key = pod_key(pod->namespace_name, pod->name);
  ClusterSnapshot::PodPtr old;
  std::lock_guard lock(mu_);
  auto [it, inserted] = pods_[shard].try_emplace(std::move(key));
  if (inserted) ++pod_count_;
  old = std::move(it->second);
  it->second = std::move(pod);
  pod_dirty_.set(shard);
}

void ClusterState::delete_pod(const std::string& ns, const std::string& name) {
  size_t shard = pod_shard_of(ns, name);
  std::string key = pod_key(ns, name);
  ClusterSnapshot::PodPtr old;
  std::lock_guard lock(mu_);
  auto it = pods_[shard].find(key);
  if (it == pods_[shard].end()) return;
  old = std::move(it->second);
  pods_[shard].erase(it);
  --pod_count_;
  pod_dirty_.set(shard);
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
    auto& pods = shard->pods;
    pods.reserve(pods_[i].size());
    for (const auto& [key, pod] : pods_[i]) pods.push_back(pod);
    std::sort(pods.begin(), pods.end(), [](const auto& a, const auto& b) {
      return std::tie(a->namespace_name, a->name) < std::tie(b->namespace_name, b->name);
    });
    shard->build_indexes();  // positions refer to the sorted order
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
