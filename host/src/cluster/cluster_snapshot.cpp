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
    const std::vector<PodPtr>& pods, std::string_view ns) {
  if (ns.empty()) return {pods.begin(), pods.end()};
  auto lo = std::lower_bound(pods.begin(), pods.end(), ns,
                             [](const PodPtr& p, std::string_view k) { return p->namespace_name < k; });
  auto hi = std::upper_bound(lo, pods.end(), ns,
                             [](std::string_view k, const PodPtr& p) { return k < p->namespace_name; });
  return {lo, hi};
}

uint32_t ClusterSnapshot::label_hash(std::string_view key, std::string_view value) {
  const size_t k = std::hash<std::string_view>{}(key);
  const size_t v = std::hash<std::string_view>{}(value);
  const uint64_t h = k ^ (v + 0x9e3779b97f4a7c15ULL + (k << 6) + (k >> 2));
  return static_cast<uint32_t>(h ^ (h >> 32));
}

void ClusterSnapshot::PodShard::index_labels() {
  size_t count = 0;
  for (const auto& p : pods) count += p->labels.size();
  labels.clear();
  labels.reserve(count);
  for (size_t i = 0; i < pods.size(); ++i) {
    for (const auto& [key, value] : pods[i]->labels) {
      labels.push_back({label_hash(key, value), static_cast<uint32_t>(i)});
    }
  }
  std::sort(labels.begin(), labels.end(), [](const LabelEntry& a, const LabelEntry& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.position < b.position;
  });
}

std::pair<ClusterSnapshot::LabelIt, ClusterSnapshot::LabelIt> ClusterSnapshot::label_range(const PodShard& shard,
                                                                                           std::string_view ns,
                                                                                           uint32_t hash) {
  auto [b, e] = std::equal_range(shard.labels.begin(), shard.labels.end(), LabelEntry{hash, 0},
                                 [](const LabelEntry& x, const LabelEntry& y) { return x.hash < y.hash; });
  if (b == e || ns.empty()) return {b, e};
  // Same hash: ordered by position, and positions are ordered by (namespace, name).
  const auto [lo, hi] = namespace_range(shard.pods, ns);
  const auto first = static_cast<uint32_t>(lo - shard.pods.begin());
  const auto last = static_cast<uint32_t>(hi - shard.pods.begin());
  auto by_position = [](const LabelEntry& x, uint32_t pos) { return x.position < pos; };
  const auto from = std::lower_bound(b, e, first, by_position);
  return {from, std::lower_bound(from, e, last, by_position)};
}

const PodInfo* ClusterSnapshot::find_pod(std::string_view ns, std::string_view name) const {
  const auto& shard = pod_shards_[pod_shard_of(ns, name)]->pods;
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
