// The objects this API serves, as plain data gathered from the cluster view and a snapshot, and
// their encoders: NodeMetrics/PodMetrics (single and list) and the Table form `kubectl get` asks for.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kmetrics::metrics_api {

using Labels = std::vector<std::pair<std::string, std::string>>;  // sorted by key

struct Usage {
  uint64_t cpu_nanocores = 0;
  uint64_t memory_bytes = 0;
};

struct NodeItem {
  std::string name;
  Labels labels;
  int64_t timestamp_ns = 0;
  int64_t window_ns = 0;
  Usage usage;
};

struct ContainerItem {
  std::string name;
  Usage usage;
};

struct PodItem {
  std::string ns;
  std::string name;
  Labels labels;
  int64_t timestamp_ns = 0;
  int64_t window_ns = 0;
  std::vector<ContainerItem> containers;
};

// `now_ns` becomes every item's metadata.creationTimestamp, as metrics-server does.
std::string encodeNode(const NodeItem& n, int64_t now_ns);
std::string encodeNodeList(const std::vector<NodeItem>& items, int64_t now_ns);
std::string encodePod(const PodItem& p, int64_t now_ns);
std::string encodePodList(const std::vector<PodItem>& items, int64_t now_ns);

std::string encodeNodeTable(const std::vector<NodeItem>& items, int64_t now_ns);
std::string encodePodTable(const std::vector<PodItem>& items, int64_t now_ns);

}  // namespace kmetrics::metrics_api
