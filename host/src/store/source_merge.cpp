#include "store/source_merge.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kmetrics {
namespace {

struct Candidate {
  size_t source = 0;
  int priority = 0;
  UnixNanos freshness = 0;
  const NodeChunk* chunk = nullptr;
  uint32_t index = 0;  // into chunk->nodes() or chunk->pods()
};

// Candidates arrive in source order, then chunk order.
bool outranks(const Candidate& candidate, const Candidate& current) {
  if (candidate.priority != current.priority) return candidate.priority > current.priority;
  if (candidate.freshness != current.freshness) return candidate.freshness > current.freshness;
  return candidate.source == current.source;  // same source: the later chunk; else the earlier source stays
}

// A key with its hash computed once: probing compares hashes before strings, rehashing never
// hashes again.
template <class Ref>
struct Hashed {
  Ref ref;
  size_t hash = 0;
  bool operator==(const Hashed& o) const { return hash == o.hash && ref == o.ref; }
};
struct HashedHash {
  template <class Ref>
  size_t operator()(const Hashed<Ref>& k) const noexcept {
    return k.hash;
  }
};
template <class Ref>
using Winners = std::unordered_map<Hashed<Ref>, Candidate, HashedHash>;

template <class Ref>
void offer(Winners<Ref>& winners, const Hashed<Ref>& key, const Candidate& c) {
  auto [it, inserted] = winners.try_emplace(key, c);
  if (!inserted && outranks(c, it->second)) it->second = c;
}

// One builder per node name; the chunks come out in name order.
class ChunksByNode {
 public:
  explicit ChunksByNode(size_t expected) { index_.reserve(expected); }
  NodeChunkBuilder& operator[](std::string_view node) {
    auto [it, inserted] = index_.try_emplace(node, builders_.size());
    if (inserted) builders_.emplace_back(node, NodeChunkBuilder(std::string(node)));
    return builders_[it->second].second;
  }
  std::vector<std::shared_ptr<const NodeChunk>> finish() {
    std::sort(builders_.begin(), builders_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::shared_ptr<const NodeChunk>> out;
    out.reserve(builders_.size());
    for (auto& [_, b] : builders_) out.push_back(b.finish());
    return out;
  }

 private:
  std::unordered_map<std::string_view, size_t> index_;
  std::vector<std::pair<std::string_view, NodeChunkBuilder>> builders_;
};

TickBatch merge_all(std::span<const SourceBatch> sources) {
  size_t node_count = 0, pod_count = 0;
  for (const SourceBatch& s : sources) {
    node_count += s.batch.node_count();
    pod_count += s.batch.pod_count();
  }
  Winners<std::string_view> nodes;
  Winners<PodRefView> pods;
  nodes.reserve(node_count);
  pods.reserve(pod_count);
  const std::hash<std::string_view> hash_name;
  const PodRefViewHash hash_pod;
  for (size_t s = 0; s < sources.size(); ++s) {
    for (const auto& chunk : sources[s].batch.chunks) {
      const auto chunk_nodes = chunk->nodes();
      for (uint32_t i = 0; i < chunk_nodes.size(); ++i) {
        const std::string_view name = chunk->name(chunk_nodes[i]);
        offer(nodes, Hashed<std::string_view>{name, hash_name(name)},
              Candidate{s, sources[s].priority, chunk_nodes[i].point.timestamp, chunk.get(), i});
      }
      const auto chunk_pods = chunk->pods();
      for (uint32_t i = 0; i < chunk_pods.size(); ++i) {
        const ChunkPod& p = chunk_pods[i];
        const PodRefView ref{chunk->ns(p), chunk->name(p)};
        offer(pods, Hashed<PodRefView>{ref, hash_pod(ref)},
              Candidate{s, sources[s].priority, chunk->freshness(p), chunk.get(), i});
      }
    }
  }

  ChunksByNode by_node(nodes.size());
  for (const auto& [key, c] : nodes) {
    const ChunkNode& n = c.chunk->nodes()[c.index];
    by_node[key.ref].node(key.ref, n.point, c.chunk->extended(n.extended));
  }
  for (const auto& [key, c] : pods) {
    const ChunkPod& p = c.chunk->pods()[c.index];
    const std::string_view node = c.chunk->str(p.node);
    NodeChunkBuilder& b = by_node[node];
    b.pod(key.ref.ns, key.ref.name, node, c.chunk->extended(p.extended));
    for (const ChunkContainer& k : c.chunk->containers(p)) {
      b.container(key.ref.ns, key.ref.name, c.chunk->name(k), node, k.point, c.chunk->extended(k.extended));
    }
  }
  TickBatch out;
  out.objects_unique = true;
  out.chunks = by_node.finish();
  return out;
}

}  // namespace

TickBatch merge_source_batches(std::span<const SourceBatch> sources) {
  const SourceBatch* only = nullptr;
  size_t with_data = 0;
  for (const SourceBatch& s : sources) {
    if (s.batch.chunks.empty()) continue;
    only = &s;
    ++with_data;
  }
  if (with_data == 0) return {};
  if (with_data == 1) return only->batch;
  return merge_all(sources);
}

TickBatch deduplicate(const TickBatch& batch) {
  if (batch.objects_unique) return batch;
  const SourceBatch one{0, batch};
  return merge_all(std::span<const SourceBatch>(&one, 1));
}

}  // namespace kmetrics
