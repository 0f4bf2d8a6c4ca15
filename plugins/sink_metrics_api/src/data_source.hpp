// Where the API reads objects and metrics from. The plugin implements it over the host's cluster
// view and one snapshot per request; tests implement it over plain vectors.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "resources.hpp"

namespace kmetrics::metrics_api {

// A node or pod as the cluster view knows it. Borrowed: valid during the callback.
class ObjectView {
 public:
  virtual ~ObjectView() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view ns() const = 0;  // empty for nodes
  virtual std::optional<std::string_view> label(std::string_view key) const = 0;
  virtual Labels labels() const = 0;  // sorted by key
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  // Nodes the server serves (the host already applied --node-selector); `fn` returns false to stop.
  virtual void forEachNode(const std::function<bool(const ObjectView&)>& fn) = 0;
  // Running pods of `ns` ("" = all namespaces).
  virtual void forEachPod(std::string_view ns, const std::function<bool(const ObjectView&)>& fn) = 0;
  // Metrics of one node or pod; name/labels of the result are filled by the caller.
  virtual std::optional<NodeItem> nodeMetrics(std::string_view name) = 0;
  virtual std::optional<PodItem> podMetrics(std::string_view ns, std::string_view name) = 0;
  virtual int64_t nowUnixNs() = 0;
};

}  // namespace kmetrics::metrics_api
