// One scrape tick, as metrics-server's scrape loop does it but on a bounded pool: list the nodes,
// scrape every (per-node source, node) pair and every cluster-scoped source in parallel with
// deadlines, merge the sources by priority, apply the result to the store (which publishes a new
// snapshot) and hand it to the push sinks' queues. A failing, slow or lying node costs only itself.
// THREADING: tick() runs on the ticker thread only; the rest is internal.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/cluster_access.hpp"
#include "app/error_log_limiter.hpp"
#include "loader/instance_handle.hpp"
#include "metrics/self_metrics.hpp"
#include "scheduler/worker_pool.hpp"
#include "store/push_sink_worker.hpp"
#include "store/store.hpp"

namespace kmetrics {

struct ScrapeSource {
  SourceHandle* handle = nullptr;
  int priority = 0;
};

struct ScrapeOptions {
  std::chrono::nanoseconds resolution{std::chrono::seconds(60)};
  std::chrono::nanoseconds node_timeout{std::chrono::seconds(10)};  // --kubelet-request-timeout
  bool want_extended = false;  // a sink consumes extended series
};

class ScrapeCycle {
 public:
  using Clock = std::chrono::steady_clock;

  ScrapeCycle(ScrapeOptions options, std::vector<ScrapeSource> sources, const ClusterAccess& cluster,
              WorkerPool& pool, Store& store, std::vector<PushSinkWorker*> push_sinks, SelfMetrics& metrics);

  void tick(Clock::time_point start);

  // Whether the last tick finished (for liveness: metrics-server's metric-collection-timely).
  uint64_t ticksCompleted() const { return ticks_completed_; }

 private:
  struct Outcome;
  Outcome scrapeOne(size_t source, const kmetrics_node_info* node, Clock::time_point deadline, int64_t now_unix);
  void report(const Outcome& o);

  ScrapeOptions options_;
  std::vector<ScrapeSource> sources_;
  const ClusterAccess& cluster_;
  WorkerPool& pool_;
  Store& store_;
  std::vector<PushSinkWorker*> push_sinks_;
  ErrorLogLimiter error_log_;
  MetricFamily* tick_duration_;
  MetricFamily* storage_points_;
  MetricFamily* scrape_errors_;
  MetricFamily* dropped_samples_;
  MetricFamily* late_scrapes_;
  std::vector<uint64_t> push_dropped_seen_;
  MetricFamily* push_dropped_;
  uint64_t ticks_completed_ = 0;
};

}  // namespace kmetrics
