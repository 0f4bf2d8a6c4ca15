// ClusterAccess over the host's ClusterView: each call reads one published ClusterSnapshot and
// builds borrowed ABI views (kmetrics_node_info / kmetrics_pod_info) of its objects.
#pragma once

#include <functional>
#include <memory>

#include "app/cluster_access.hpp"
#include "cluster/cluster_view.hpp"

namespace kmetrics {

class ClusterAdapter : public ClusterAccess {
 public:
  // Where the current snapshot comes from (a ClusterView, or a fixed snapshot in tests and benches).
  using SnapshotSource = std::function<std::shared_ptr<const cluster::ClusterSnapshot>()>;

  explicit ClusterAdapter(const cluster::ClusterView& view) : snapshot_([&view] { return view.snapshot(); }) {}
  explicit ClusterAdapter(SnapshotSource snapshot) : snapshot_(std::move(snapshot)) {}

  bool synced() const override { return snapshot_()->synced(); }
  void forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const override;
  void forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_info&)>& fn) const override;
  bool findNode(std::string_view name, const std::function<void(const kmetrics_node_info&)>& fn) const override;
  bool findPod(std::string_view ns, std::string_view name,
               const std::function<void(const kmetrics_pod_info&)>& fn) const override;
  void forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                           const std::function<bool(const kmetrics_pod_info&)>& fn) const override;

 private:
  SnapshotSource snapshot_;
};

}  // namespace kmetrics
