#include "store/source_merge.hpp"

#include <map>
#include <string_view>
#include <unordered_map>

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

template <class Map, class Key>
void offer(Map& winners, const Key& key, const Candidate& c) {
  auto [it, inserted] = winners.try_emplace(key, c);
  if (!inserted && outranks(c, it->second)) it->second = c;
}

TickBatch merge_all(std::span<const SourceBatch> sources) {
  std::unordered_map<std::string_view, Candidate> nodes;
  std::unordered_map<PodRefView, Candidate, PodRefViewHash> pods;
  for (size_t s = 0; s < sources.size(); ++s) {
    for (const auto& chunk : sources[s].batch.chunks) {
      const auto chunk_nodes = chunk->nodes();
      for (uint32_t i = 0; i < chunk_nodes.size(); ++i) {
        offer(nodes, chunk->name(chunk_nodes[i]),
              Candidate{s, sources[s].priority, chunk_nodes[i].point.timestamp, chunk.get(), i});
      }
      const auto chunk_pods = chunk->pods();
      for (uint32_t i = 0; i < chunk_pods.size(); ++i) {
        const ChunkPod& p = chunk_pods[i];
        offer(pods, PodRefView{chunk->ns(p), chunk->name(p)},
              Candidate{s, sources[s].priority, chunk->freshness(p), chunk.get(), i});
      }
    }
  }

  std::map<std::string_view, NodeChunkBuilder> by_node;
  auto builder = [&](std::string_view node) -> NodeChunkBuilder& {
    auto it = by_node.find(node);
    if (it == by_node.end()) it = by_node.emplace(node, NodeChunkBuilder(std::string(node))).first;
    return it->second;
  };
  for (const auto& [name, c] : nodes) {
    const ChunkNode& n = c.chunk->nodes()[c.index];
    builder(name).node(name, n.point, c.chunk->extended(n.extended));
  }
  for (const auto& [ref, c] : pods) {
    const ChunkPod& p = c.chunk->pods()[c.index];
    const std::string_view node = c.chunk->str(p.node);
    NodeChunkBuilder& b = builder(node);
    b.pod(ref.ns, ref.name, node, c.chunk->extended(p.extended));
    for (const ChunkContainer& k : c.chunk->containers(p)) {
      b.container(ref.ns, ref.name, c.chunk->name(k), node, k.point, c.chunk->extended(k.extended));
    }
  }
  TickBatch out;
  out.objects_unique = true;
  out.chunks.reserve(by_node.size());
  for (auto& [_, b] : by_node) out.chunks.push_back(b.finish());
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
