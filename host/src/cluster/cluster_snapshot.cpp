#include "cluster/cluster_snapshot.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace kmetrics::cluster {

namespace {
const std::shared_ptr<const ClusterSnapshot::PodShard>& empty_shard() {
  static const auto kEmpty = std::make_shared<const ClusterSnapshot::PodShard>();
  return kEmpty;
}
}  // namespace

ClusterSnapshot::ClusterSnapshot() { pod_shards_.fill(empty_shard()); }

size_t pod_shard_of(std::string_view ns, std::string_view name) {
  // Combine two hashes instead of concatenating: no allocation per lookup.
  size_t h = std::hash<std::string_view>{}(ns);
  h ^= std::hash<std::string_view>{}(name) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h % ClusterSnapshot::kPodShards;
}

const NodeInfo* ClusterSnapshot::find_node(std::string_view name) const { return find_node(name, nullptr); }

const NodeInfo* ClusterSnapshot::find_node(std::string_view name, NodePtr* keep) const {
  auto it = std::lower_bound(nodes_->begin(), nodes_->end(), name,
                             [](const NodePtr& n, std::string_view k) { return n->name < k; });
  if (it == nodes_->end() || (*it)->name != name) return nullptr;
  if (keep != nullptr) *keep = *it;
  return it->get();
}

std::pair<ClusterSnapshot::ShardIt, ClusterSnapshot::ShardIt> ClusterSnapshot::namespace_range(
    const PodShard& shard, std::string_view ns) {
  if (ns.empty()) return {shard.begin(), shard.end()};
  auto lo = std::lower_bound(shard.begin(), shard.end(), ns,
                             [](const PodPtr& p, std::string_view k) { return p->namespace_name < k; });
  auto hi = std::upper_bound(lo, shard.end(), ns,
                             [](std::string_view k, const PodPtr& p) { return k < p->namespace_name; });
  return {lo, hi};
}

const PodInfo* ClusterSnapshot::find_pod(std::string_view ns, std::string_view name) const {
  const PodShard& shard = *pod_shards_[pod_shard_of(ns, name)];
  auto it = std::lower_bound(shard.begin(), shard.end(), std::pair(ns, name),
                             [](const PodPtr& p, const std::pair<std::string_view, std::string_view>& k) {
                               int c = std::string_view(p->namespace_name).compare(k.first);
                               return c < 0 || (c == 0 && std::string_view(p->name) < k.second);
                             });
  if (it == shard.end() || (*it)->namespace_name != ns || (*it)->name != name) return nullptr;
  return it->get();
}

std::vector<const PodInfo*> ClusterSnapshot::pods_on_node(std::string_view node_name) const {
  std::vector<const PodInfo*> out;
  for_each_pod({}, [&](const PodInfo& p) {
    if (p.node_name == node_name) out.push_back(&p);
    return true;
  });
  return out;
}

}  // namespace kmetrics::cluster
