// Where the API reads objects and metrics from. The plugin implements it over the host's cluster
// view and one snapshot per request; tests implement it over plain containers.
#pragma once

#include <cstdint>
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
  // Replaces `out` with the labels sorted by key, reusing its storage (called once per listed item).
  virtual void labels(Labels& out) const = 0;
};

class DataSource {
 public:
  virtual ~DataSource() = default;

  // ---- cluster view (the host already applied --node-selector to nodes) ----
  // Nodes / running pods of `ns` ("" = all namespaces), in any order; `fn` returns false to stop.
  virtual void forEachNode(const std::function<bool(const ObjectView&)>& fn) = 0;
  virtual void forEachPod(std::string_view ns, const std::function<bool(const ObjectView&)>& fn) = 0;
  // False when findNode/findPod below are scans (a host without the ABI 1.1 lookups): lists then
  // iterate the cluster view instead of looking each snapshot item up.
  virtual bool lookupsAreIndexed() const = 0;
  // Calls `fn` once with the object and returns true, or returns false when there is none.
  virtual bool findNode(std::string_view name, const std::function<void(const ObjectView&)>& fn) = 0;
  virtual bool findPod(std::string_view ns, std::string_view name, const std::function<void(const ObjectView&)>& fn) = 0;
  // Running pods of `ns` ("" = all namespaces) with the label `key` = `value` exactly, in any order;
  // `fn` returns false to stop.
  virtual void forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                                   const std::function<bool(const ObjectView&)>& fn) = 0;

  // ---- metrics (one snapshot) ----
  // Metrics of one node or pod; name/labels of the result are filled by the caller.
  virtual std::optional<NodeItem> nodeMetrics(std::string_view name) = 0;
  virtual std::optional<PodItem> podMetrics(std::string_view ns, std::string_view name) = 0;
  // Every node with metrics in order of name / every pod with metrics of `ns` ("" = all) in order of
  // (namespace, name): the order lists are served in. `fn` gets an item with everything but the
  // labels filled in; the same item is reused for the next call, and `fn` may change it (e.g. set its
  // labels). `fn` returns false to stop.
  virtual void forEachNodeMetrics(const std::function<bool(NodeItem&)>& fn) = 0;
  virtual void forEachPodMetrics(std::string_view ns, const std::function<bool(PodItem&)>& fn) = 0;

  virtual int64_t nowUnixNs() = 0;
};

}  // namespace kmetrics::metrics_api
