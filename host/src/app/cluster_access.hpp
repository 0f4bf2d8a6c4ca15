// What the host services table needs from the cluster view, in ABI terms. The app adapts the
// ClusterView to it; tests can provide their own.
// THREADING: every method is called from many threads at once.
#pragma once

#include <functional>
#include <string_view>

#include "kmetrics/abi.h"

namespace kmetrics {

class ClusterAccess {
 public:
  virtual ~ClusterAccess() = default;
  virtual bool synced() const = 0;
  // `fn` returns false to stop. The info is borrowed for the call.
  virtual void forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const = 0;
  // `ns` empty = all namespaces.
  virtual void forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_info&)>& fn) const = 0;
  // Lookups by key: call `fn` once and return true, or return false when there is no such object.
  virtual bool findNode(std::string_view name, const std::function<void(const kmetrics_node_info&)>& fn) const = 0;
  virtual bool findPod(std::string_view ns, std::string_view name,
                       const std::function<void(const kmetrics_pod_info&)>& fn) const = 0;
  // Pods of `ns` (empty = all namespaces) with the label `key` = `value` exactly, from an index.
  virtual void forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                                   const std::function<bool(const kmetrics_pod_info&)>& fn) const = 0;
};

}  // namespace kmetrics
