#include "plugin/endpoint_mode.hpp"

namespace kmetrics::kubelet {

Endpoint EndpointModeTracker::choose(const std::string& node, int64_t now_ns) {
  std::lock_guard lock(mu_);
  auto it = summary_only_.find(node);
  if (it == summary_only_.end()) {
    return Endpoint::kResource;
  }
  it->second.last_used_ns = now_ns;
  if (now_ns - it->second.since_ns >= recheck_.count()) {
    // Time to try /metrics/resource again; a 404 re-marks the node.
    summary_only_.erase(it);
    return Endpoint::kResource;
  }
  return Endpoint::kSummary;
}

void EndpointModeTracker::markSummaryOnly(const std::string& node, int64_t now_ns) {
  std::lock_guard lock(mu_);
  summary_only_[node] = State{now_ns, now_ns};
}

void EndpointModeTracker::markResourceWorks(const std::string& node) {
  std::lock_guard lock(mu_);
  summary_only_.erase(node);
}

void EndpointModeTracker::forgetOlderThan(int64_t cutoff_ns) {
  std::lock_guard lock(mu_);
  std::erase_if(summary_only_, [&](const auto& kv) { return kv.second.last_used_ns < cutoff_ns; });
}

size_t EndpointModeTracker::summaryOnlyCount() const {
  std::lock_guard lock(mu_);
  return summary_only_.size();
}

}  // namespace kmetrics::kubelet
