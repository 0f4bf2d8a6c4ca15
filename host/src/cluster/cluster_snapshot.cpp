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

// Combines two hashes instead of hashing a concatenation: no allocation per lookup.
uint64_t hash_pair(std::string_view a, std::string_view b) {
  const uint64_t h = std::hash<std::string_view>{}(a);
  return h ^ (std::hash<std::string_view>{}(b) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

using IndexEntry = ClusterSnapshot::IndexEntry;

void sort_index(std::vector<IndexEntry>& index) {
  std::sort(index.begin(), index.end(), [](const IndexEntry& a, const IndexEntry& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.position < b.position;
  });
}

std::pair<std::vector<IndexEntry>::const_iterator, std::vector<IndexEntry>::const_iterator> hash_range(
    const std::vector<IndexEntry>& index, uint32_t hash) {
  return std::equal_range(index.begin(), index.end(), IndexEntry{hash, 0},
                          [](const IndexEntry& x, const IndexEntry& y) { return x.hash < y.hash; });
}
}  // namespace

ClusterSnapshot::ClusterSnapshot() { pod_shards_.fill(empty_shard()); }

uint64_t pod_key_hash(std::string_view ns, std::string_view name) { return hash_pair(ns, name); }

size_t pod_shard_of(std::string_view ns, std::string_view name) {
  return pod_key_hash(ns, name) % ClusterSnapshot::kPodShards;
}

uint32_t ClusterSnapshot::key_hash(std::string_view ns, std::string_view name) {
  return static_cast<uint32_t>(pod_key_hash(ns, name) >> 32);
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
                             [](const PodPtr& p, std::string_view k) { return p->namespace_name() < k; });
  auto hi = std::upper_bound(lo, pods.end(), ns,
                             [](std::string_view k, const PodPtr& p) { return k < p->namespace_name(); });
  return {lo, hi};
}

uint32_t ClusterSnapshot::label_hash(std::string_view key, std::string_view value) {
  const uint64_t h = hash_pair(key, value);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

void ClusterSnapshot::PodShard::build_indexes() {
  keys.clear();
  keys.reserve(pods.size());
  size_t label_count = 0;
  for (size_t i = 0; i < pods.size(); ++i) {
    keys.push_back({key_hash(pods[i]->namespace_name(), pods[i]->name()), static_cast<uint32_t>(i)});
    label_count += pods[i]->labels().size();
  }
  labels.clear();
  labels.reserve(label_count);
  for (size_t i = 0; i < pods.size(); ++i) {
    for (const auto& [key, value] : pods[i]->labels()) {
      labels.push_back({label_hash(key, value), static_cast<uint32_t>(i)});
    }
  }
  sort_index(keys);
  sort_index(labels);
}

std::pair<ClusterSnapshot::IndexIt, ClusterSnapshot::IndexIt> ClusterSnapshot::label_range(const PodShard& shard,
                                                                                           std::string_view ns,
                                                                                           uint32_t hash) {
  auto [b, e] = hash_range(shard.labels, hash);
  if (b == e || ns.empty()) return {b, e};
  // Same hash: ordered by position, and positions are ordered by (namespace, name).
  const auto [lo, hi] = namespace_range(shard.pods, ns);
  const auto first = static_cast<uint32_t>(lo - shard.pods.begin());
  const auto last = static_cast<uint32_t>(hi - shard.pods.begin());
  auto by_position = [](const IndexEntry& x, uint32_t pos) { return x.position < pos; };
  const auto from = std::lower_bound(b, e, first, by_position);
  return {from, std::lower_bound(from, e, last, by_position)};
}

const PodInfo* ClusterSnapshot::find_pod(std::string_view ns, std::string_view name) const {
  const uint64_t h = pod_key_hash(ns, name);
  const PodShard& shard = *pod_shards_[h % kPodShards];
  const auto [b, e] = hash_range(shard.keys, static_cast<uint32_t>(h >> 32));
  for (auto it = b; it != e; ++it) {
    const PodInfo& p = *shard.pods[it->position];
    if (p.name() == name && p.namespace_name() == ns) return &p;
  }
  return nullptr;
}

std::vector<const PodInfo*> ClusterSnapshot::pods_on_node(std::string_view node_name) const {
  std::vector<const PodInfo*> out;
  for_each_pod({}, [&](const PodInfo& p) {
    if (p.node_name() == node_name) out.push_back(&p);
    return true;
  });
  return out;
}

}  // namespace kmetrics::cluster
