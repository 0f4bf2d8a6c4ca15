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
#include "scheduler/task_executor.hpp"
#include "store/push_sink_worker.hpp"
#include "store/store.hpp"

namespace kmetrics {

struct ScrapeSource {
  SourceHandle* handle = nullptr;
  int priority = 0;
};

// Where scrapes run: sources that declare KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE on `fibers`, every
// other on `threads`. needsThreads() tells whether `threads` may be left null.
struct ScrapeExecutors {
  TaskExecutor* threads = nullptr;
  TaskExecutor* fibers = nullptr;
  static bool needsThreads(const std::vector<ScrapeSource>& sources);
};

struct ScrapeOptions {
  std::chrono::nanoseconds resolution{std::chrono::seconds(60)};
  std::chrono::nanoseconds node_timeout{std::chrono::seconds(10)};  // --kubelet-request-timeout
  bool want_extended = false;  // a sink consumes extended series
  // Bootstrap (see tick()): tick this often until every node that answers is served.
  std::chrono::nanoseconds bootstrap_period{std::chrono::seconds(1)};
};

class ScrapeCycle {
 public:
  using Clock = std::chrono::steady_clock;

  ScrapeCycle(ScrapeOptions options, std::vector<ScrapeSource> sources, const ClusterAccess& cluster,
              ScrapeExecutors executors, Store& store, std::vector<PushSinkWorker*> push_sinks, SelfMetrics& metrics);

  // Bootstrap: metrics-server serves nothing for a whole resolution, because a rate needs two points.
  // Until every node that answers is served (at most one resolution), ticks come every
  // bootstrap_period and wait only bootstrap_period x (1 + bootstrap ticks so far) x 0.9 for results:
  // nodes that answer in time are served after their second tick, the rest (e.g. the TLS handshakes
  // of a 5,000-node first round) keep running with their full timeout, keep their connections, and
  // join in a later tick. The waiting time grows so slow kubelets are reached too.
  void tick(Clock::time_point start);
  bool bootstrapping() const { return bootstrapping_; }
  // How long from one tick's start to the next: bootstrap_period while bootstrapping, else resolution.
  std::chrono::nanoseconds period() const { return bootstrapping_ ? options_.bootstrap_period : options_.resolution; }

  // Whether the last tick finished (for liveness: metrics-server's metric-collection-timely).
  uint64_t ticksCompleted() const { return ticks_completed_; }

 private:
  struct Outcome;
  Outcome scrapeOne(size_t source, const kmetrics_node_info* node, Clock::time_point wait_deadline,
                    Clock::time_point request_deadline, int64_t now_unix);
  void report(const Outcome& o);
  void endBootstrap(Clock::time_point tick_start, size_t late, size_t nodes_scraped, size_t nodes_served, bool ready);

  ScrapeOptions options_;
  std::vector<ScrapeSource> sources_;
  const ClusterAccess& cluster_;
  std::vector<TaskExecutor*> executors_;  // per source
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
  bool bootstrapping_ = true;
  uint32_t bootstrap_ticks_ = 0;
  Clock::time_point bootstrap_start_{};
};

}  // namespace kmetrics
