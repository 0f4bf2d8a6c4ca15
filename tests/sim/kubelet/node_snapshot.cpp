#include "kubelet/node_snapshot.hpp"

#include <algorithm>
#include <tuple>

namespace kmetrics::sim {
namespace {

// FNV-1a, own copy: the kubelet side derives ids without sharing code with anything else.
uint64_t fnv(const std::string& s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string containerId(const Pod& p, const Container& c) {
  static const char* hex = "0123456789abcdef";
  std::string id;
  id.reserve(64);
  uint64_t h = fnv(p.uid + "/" + c.name + "#" + std::to_string(c.restart_count));
  for (int word = 0; word < 4; ++word) {
    h = fnv(std::to_string(word), h);
    for (int i = 0; i < 16; ++i) id += hex[(h >> (i * 4)) & 0xf];
  }
  return id;
}

}  // namespace

std::optional<PodSnapshot> makePodSnapshot(const Pod& p) {
  // A kubelet reports only pods it runs; Pending/Succeeded/Failed pods have no live cgroups.
  if (p.phase != "Running") return std::nullopt;
  PodSnapshot ps;
  ps.ns = p.ns;
  ps.name = p.name;
  ps.uid = p.uid;
  ps.start_time = p.creation_time;
  for (const Container& c : p.containers) {
    ContainerSnapshot cs;
    cs.name = c.name;
    cs.start_time = c.start_time;
    cs.restart_count = c.restart_count;
    cs.cpu_millicores = c.workload.cpu_millicores;
    cs.memory_bytes = c.workload.memory_bytes;
    cs.memory_limit_bytes = c.memory_limit_bytes;
    cs.container_id = containerId(p, c);
    ps.cpu_millicores += cs.cpu_millicores;
    ps.memory_bytes += cs.memory_bytes;
    ps.containers.push_back(std::move(cs));
  }
  return ps;
}

std::shared_ptr<const NodeSnapshot> makeNodeSnapshot(const Node& node, const std::vector<PodSnapshot>& pods) {
  std::vector<std::shared_ptr<const PodSnapshot>> shared;
  shared.reserve(pods.size());
  for (const PodSnapshot& p : pods) shared.push_back(std::make_shared<const PodSnapshot>(p));
  return makeNodeSnapshot(node, std::move(shared));
}

std::shared_ptr<const NodeSnapshot> makeNodeSnapshot(const Node& node,
                                                     std::vector<std::shared_ptr<const PodSnapshot>> pods) {
  auto s = std::make_shared<NodeSnapshot>();
  s->name = node.name;
  s->boot_time = node.boot_time;
  s->base_cpu_millicores = node.cpu_base_millicores;
  s->base_memory_bytes = node.memory_base_bytes;
  s->total_cpu_millicores = node.cpu_base_millicores;
  s->total_memory_bytes = node.memory_base_bytes;
  for (const auto& ps : pods) {
    s->total_cpu_millicores += ps->cpu_millicores;
    s->total_memory_bytes += ps->memory_bytes;
  }
  s->pods = std::move(pods);
  std::sort(s->pods.begin(), s->pods.end(), [](const auto& a, const auto& b) {
    return std::tie(a->ns, a->name) < std::tie(b->ns, b->name);
  });
  for (uint32_t pi = 0; pi < s->pods.size(); ++pi) {
    for (uint32_t ci = 0; ci < s->pods[pi]->containers.size(); ++ci) s->container_order.emplace_back(pi, ci);
  }
  const auto& ps = s->pods;
  std::sort(s->container_order.begin(), s->container_order.end(), [&ps](const auto& a, const auto& b) {
    const PodSnapshot& pa = *ps[a.first];
    const PodSnapshot& pb = *ps[b.first];
    return std::tie(pa.containers[a.second].name, pa.ns, pa.name) <
           std::tie(pb.containers[b.second].name, pb.ns, pb.name);
  });
  return s;
}

}  // namespace kmetrics::sim
