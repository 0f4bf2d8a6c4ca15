// ClusterAccess over the host's ClusterView: each call reads one published ClusterSnapshot and
// builds borrowed ABI views (kmetrics_node_info / kmetrics_pod_info) of its objects.
#pragma once

#include "app/cluster_access.hpp"
#include "cluster/cluster_view.hpp"

namespace kmetrics {

class ClusterAdapter : public ClusterAccess {
 public:
  explicit ClusterAdapter(const cluster::ClusterView& view) : view_(view) {}

  bool synced() const override { return view_.synced(); }
  void forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const override;
  void forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_info&)>& fn) const override;

 private:
  const cluster::ClusterView& view_;
};

}  // namespace kmetrics
