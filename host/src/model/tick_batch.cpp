#include "model/tick_batch.hpp"

#include <map>
#include <string_view>

namespace kmetrics {

size_t TickBatch::node_count() const {
  size_t n = 0;
  for (const auto& c : chunks) n += c->nodes().size();
  return n;
}

size_t TickBatch::pod_count() const {
  size_t n = 0;
  for (const auto& c : chunks) n += c->pods().size();
  return n;
}

size_t TickBatch::container_count() const {
  size_t n = 0;
  for (const auto& c : chunks) n += c->containers().size();
  return n;
}

TickBatch make_tick_batch(const Batch& batch) {
  std::map<std::string_view, NodeChunkBuilder> by_node;
  auto builder = [&](std::string_view node) -> NodeChunkBuilder& {
    auto it = by_node.find(node);
    if (it == by_node.end()) it = by_node.emplace(node, NodeChunkBuilder(std::string(node))).first;
    return it->second;
  };
  for (const auto& [name, n] : batch.nodes) builder(name).node(name, n.point, &n.extended);
  for (const auto& [ref, pod] : batch.pods) {
    NodeChunkBuilder& b = builder(pod.node);
    b.pod(ref.ns, ref.name, pod.node, &pod.extended);
    for (const auto& [cname, c] : pod.containers) b.container(ref.ns, ref.name, cname, pod.node, c.point, &c.extended);
  }
  TickBatch out;
  out.objects_unique = true;
  out.chunks.reserve(by_node.size());
  for (auto& [_, b] : by_node) out.chunks.push_back(b.finish());
  return out;
}

}  // namespace kmetrics
