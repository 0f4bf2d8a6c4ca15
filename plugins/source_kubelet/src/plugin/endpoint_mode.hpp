// Per-node choice between /metrics/resource and the Summary API in `auto` mode: a node whose kubelet
// answers 404 on /metrics/resource (older than 1.18, or with the endpoint disabled) is scraped through
// /stats/summary?only_cpu_and_memory=true from then on, and /metrics/resource is tried again after
// `recheck` in case the kubelet was upgraded.
// THREADING: thread-safe; scrapes of different nodes run concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kmetrics::kubelet {

enum class Endpoint { kResource, kSummary };

class EndpointModeTracker {
 public:
  explicit EndpointModeTracker(std::chrono::nanoseconds recheck) : recheck_(recheck) {}

  // Which endpoint to use for `node` at monotonic time `now_ns`.
  Endpoint choose(const std::string& node, int64_t now_ns);
  // The node answered 404 on /metrics/resource at `now_ns`.
  void markSummaryOnly(const std::string& node, int64_t now_ns);
  // /metrics/resource answered (anything but 404): the node is back to the default.
  void markResourceWorks(const std::string& node);
  // Forgets nodes not seen for a long time (bounded memory under node churn).
  void forgetOlderThan(int64_t cutoff_ns);
  size_t summaryOnlyCount() const;

 private:
  struct State {
    int64_t since_ns;       // when it was marked summary-only
    int64_t last_used_ns;   // last choose()
  };
  const std::chrono::nanoseconds recheck_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, State> summary_only_;
};

}  // namespace kmetrics::kubelet
