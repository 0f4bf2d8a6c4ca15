// DataSource over the kmetrics host: the cluster view for objects and labels, one snapshot for
// metrics. One instance per request, so a whole response comes from one tick.
#pragma once

#include <kmetrics/sdk.hpp>

#include "data_source.hpp"

namespace kmetrics::metrics_api {

class HostDataSource : public DataSource {
 public:
  explicit HostDataSource(const sdk::Host& host) : host_(host), snapshot_(host.snapshot()) {}

  void forEachNode(const std::function<bool(const ObjectView&)>& fn) override;
  void forEachPod(std::string_view ns, const std::function<bool(const ObjectView&)>& fn) override;
  bool lookupsAreIndexed() const override { return host_.clusterLookupsIndexed(); }
  bool findNode(std::string_view name, const std::function<void(const ObjectView&)>& fn) override;
  bool findPod(std::string_view ns, std::string_view name, const std::function<void(const ObjectView&)>& fn) override;
  void forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                           const std::function<bool(const ObjectView&)>& fn) override;
  std::optional<NodeItem> nodeMetrics(std::string_view name) override;
  std::optional<PodItem> podMetrics(std::string_view ns, std::string_view name) override;
  void forEachNodeMetrics(const std::function<bool(NodeItem&)>& fn) override;
  void forEachPodMetrics(std::string_view ns, const std::function<bool(PodItem&)>& fn) override;
  int64_t nowUnixNs() override { return host_.nowUnixNs(); }

 private:
  sdk::Host host_;
  sdk::Snapshot snapshot_;
};

}  // namespace kmetrics::metrics_api
