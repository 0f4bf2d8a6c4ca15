// The objects this API serves, as plain data gathered from the cluster view and a snapshot, and
// their encoders: NodeMetrics/PodMetrics (single and list) and the Table form `kubectl get` asks for.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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

// Writes a NodeMetricsList / PodMetricsList, or the Table `kubectl get` asks for, one item at a time
// in the order added (callers add them sorted). Each distinct timestamp and window is formatted once.
// `now_ns` becomes every item's metadata.creationTimestamp, as metrics-server does.
class ListWriter {
 public:
  enum class Form { kList, kTable };
  // `kind` is "NodeMetrics" or "PodMetrics" (the list is "<kind>List").
  ListWriter(std::string_view kind, Form form, int64_t now_ns);
  ~ListWriter();
  ListWriter(const ListWriter&) = delete;
  ListWriter& operator=(const ListWriter&) = delete;

  void add(const NodeItem& item);
  void add(const PodItem& item);
  // The finished document; call once, after the last add.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// `now_ns` becomes every item's metadata.creationTimestamp, as metrics-server does.
std::string encodeNode(const NodeItem& n, int64_t now_ns);
std::string encodePod(const PodItem& p, int64_t now_ns);

}  // namespace kmetrics::metrics_api
