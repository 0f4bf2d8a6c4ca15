#include "store/snapshot.hpp"

#include <algorithm>

namespace kmetrics {

Snapshot::Snapshot(SnapshotData data)
    : generation_(data.generation),
      owners_(std::move(data.owners)),
      containers_(std::make_shared<const std::vector<ContainerMetrics>>(std::move(data.containers))),
      nodes_(std::move(data.nodes)),
      pods_(std::move(data.pods)),
      points_(data.points),
      rate_errors_(data.rate_errors),
      history_(std::move(data.history)) {
  std::sort(nodes_.begin(), nodes_.end(),
            [](const NodeMetrics& a, const NodeMetrics& b) { return a.name < b.name; });
  if (!data.pods_sorted) {
    std::sort(pods_.begin(), pods_.end(), [](const PodMetrics& a, const PodMetrics& b) { return a.ref < b.ref; });
  }
  for (size_t i = 0; i < pods_.size(); ++i) {
    if (namespaces_.empty() || ns_of(namespaces_.back()) != pods_[i].ref.ns) {
      namespaces_.push_back({i, i});
    }
    namespaces_.back().end = i + 1;
  }
}

const NodeMetrics* Snapshot::find_node(std::string_view name) const {
  auto it = std::lower_bound(nodes_.begin(), nodes_.end(), name,
                             [](const NodeMetrics& n, std::string_view key) { return n.name < key; });
  if (it == nodes_.end() || it->name != name) return nullptr;
  return &*it;
}

std::span<const PodMetrics> Snapshot::pods_in_namespace(std::string_view ns) const {
  auto it = std::lower_bound(namespaces_.begin(), namespaces_.end(), ns,
                             [this](const NamespaceRange& r, std::string_view key) { return ns_of(r) < key; });
  if (it == namespaces_.end() || ns_of(*it) != ns) return {};
  return std::span<const PodMetrics>(pods_).subspan(it->begin, it->end - it->begin);
}

const PodMetrics* Snapshot::find_pod(std::string_view ns, std::string_view name) const {
  auto in_ns = pods_in_namespace(ns);
  auto it = std::lower_bound(in_ns.begin(), in_ns.end(), name,
                             [](const PodMetrics& p, std::string_view key) { return p.ref.name < key; });
  if (it == in_ns.end() || it->ref.name != name) return nullptr;
  return &*it;
}

std::vector<std::string_view> Snapshot::namespaces() const {
  std::vector<std::string_view> out;
  out.reserve(namespaces_.size());
  for (const auto& r : namespaces_) out.push_back(ns_of(r));
  return out;
}

}  // namespace kmetrics
