#include "kubelet/fleet_model.hpp"

namespace kmetrics::sim {

FleetModel::FleetModel(ClusterState& state) : state_(state) {}

void FleetModel::rebuild(NodeEntry& e, UnixNanos now) {
  std::vector<std::shared_ptr<const PodSnapshot>> pods;
  pods.reserve(e.pods.size());
  for (const auto& [_, p] : e.pods) pods.push_back(p);
  e.snapshot = makeNodeSnapshot(e.node, std::move(pods));
  const uint64_t rate = e.snapshot->total_cpu_millicores;
  if (e.cpu_acc_time == 0) {
    // First sight: as if the node had run at today's rate since boot.
    e.cpu_acc_nanos = cumulativeCpuNanos(rate, e.node.boot_time, now);
  } else {
    e.cpu_acc_nanos += cumulativeCpuNanos(e.cpu_rate_millicores, e.cpu_acc_time, now);
  }
  e.cpu_acc_time = now;
  e.cpu_rate_millicores = rate;
}

void FleetModel::loadAll(UnixNanos now) {
  std::vector<Node> nodes = state_.nodes();
  std::vector<Pod> pods = state_.pods();
  std::lock_guard lock(mu_);
  for (Node& n : nodes) {
    NodeEntry& e = nodes_[n.name];
    e.node = std::move(n);
  }
  for (Pod& p : pods) {
    auto it = nodes_.find(p.node_name);
    if (it == nodes_.end()) continue;  // unscheduled or on an unknown node
    const std::string key = p.ns + "/" + p.name;
    pod_node_[key] = p.node_name;
    if (auto ps = makePodSnapshot(p)) it->second.pods[key] = std::make_shared<const PodSnapshot>(std::move(*ps));
  }
  for (auto& [_, e] : nodes_) rebuild(e, now);
}

void FleetModel::enqueue(const ChangeEvent& e) {
  std::lock_guard lock(pending_mu_);
  pending_.push_back(e);
  pending_flag_.store(true, std::memory_order_release);
}

void FleetModel::applyPod(const std::string& key, UnixNanos now) {
  const size_t slash = key.find('/');
  std::optional<Pod> pod = state_.pod(key.substr(0, slash), key.substr(slash + 1));
  // Remove from the node it was on (it may have moved, or be gone).
  auto prev = pod_node_.find(key);
  if (prev != pod_node_.end()) {
    auto ne = nodes_.find(prev->second);
    if (ne != nodes_.end() && (!pod || pod->node_name != prev->second)) {
      ne->second.pods.erase(key);
      rebuild(ne->second, now);
    }
    pod_node_.erase(prev);
  }
  if (!pod) return;
  auto ne = nodes_.find(pod->node_name);
  if (ne == nodes_.end()) return;
  pod_node_[key] = pod->node_name;
  if (auto ps = makePodSnapshot(*pod)) ne->second.pods[key] = std::make_shared<const PodSnapshot>(std::move(*ps));
  else ne->second.pods.erase(key);  // no longer Running
  rebuild(ne->second, now);
}

void FleetModel::applyNode(const std::string& name, UnixNanos now, NodeChanges& changes) {
  std::optional<Node> node = state_.node(name);
  auto it = nodes_.find(name);
  if (!node) {
    if (it != nodes_.end()) {
      for (const auto& [key, _] : it->second.pods) pod_node_.erase(key);
      nodes_.erase(it);
      changes.removed.push_back(name);
    }
    return;
  }
  if (it == nodes_.end()) {
    NodeEntry& e = nodes_[name];
    e.node = *node;
    // Pods may have been added before their node; pick them up.
    for (Pod& p : state_.podsOnNode(name)) {
      const std::string key = p.ns + "/" + p.name;
      pod_node_[key] = name;
      if (auto ps = makePodSnapshot(p)) e.pods[key] = std::make_shared<const PodSnapshot>(std::move(*ps));
    }
    rebuild(e, now);
    changes.added.push_back(*node);
    return;
  }
  const bool moved = it->second.node.internal_ip != node->internal_ip || it->second.node.kubelet_port != node->kubelet_port;
  it->second.node = *node;
  rebuild(it->second, now);
  if (moved) {
    changes.removed.push_back(name);
    changes.added.push_back(*node);
  }
}

FleetModel::NodeChanges FleetModel::applyPending(UnixNanos now) {
  std::vector<ChangeEvent> events;
  {
    std::lock_guard lock(pending_mu_);
    events.swap(pending_);
    pending_flag_.store(false, std::memory_order_release);
  }
  NodeChanges changes;
  std::lock_guard lock(mu_);
  // Nodes first, so pods of a new node find it; each key is re-read once however many events it had.
  std::set<std::string> node_keys, pod_keys;
  for (const auto& e : events) (e.kind == ChangeEvent::Kind::kNode ? node_keys : pod_keys).insert(e.key);
  for (const auto& k : node_keys) applyNode(k, now, changes);
  for (const auto& k : pod_keys) applyPod(k, now);
  return changes;
}

std::optional<FleetModel::Sample> FleetModel::sample(const std::string& node, UnixNanos now) const {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return std::nullopt;
  const NodeEntry& e = it->second;
  return Sample{e.snapshot, e.cpu_acc_nanos + cumulativeCpuNanos(e.cpu_rate_millicores, e.cpu_acc_time, now)};
}

std::vector<Node> FleetModel::nodes() const {
  std::lock_guard lock(mu_);
  std::vector<Node> out;
  out.reserve(nodes_.size());
  for (const auto& [_, e] : nodes_) out.push_back(e.node);
  return out;
}

}  // namespace kmetrics::sim
