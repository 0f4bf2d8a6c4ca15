#include "app/scrape_cycle.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "app/batch_emitter.hpp"
#include "app/owned_node.hpp"
#include "scheduler/tick_collector.hpp"
#include "store/source_merge.hpp"

namespace kmetrics {
namespace {

int64_t monoNs(ScrapeCycle::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// metrics-server's tick buckets: DefBuckets plus half, 1, 1.5 and 2 resolutions (pkg/utils/monitoring.go).
std::vector<double> tickBuckets(std::chrono::nanoseconds resolution) {
  std::vector<double> b = defaultBuckets();
  const double r = std::chrono::duration<double>(resolution).count();
  for (double x : {r / 2, r, r * 1.5, r * 2}) b.push_back(x);
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return b;
}

MetricFamily* family(SelfMetrics& m, MetricKind kind, const std::string& name, const std::string& help,
                     const std::vector<std::string>& labels, const std::vector<double>& buckets = {}) {
  std::string error;
  MetricFamily* f = m.registerFamily(kind, name, help, labels, buckets, &error);
  if (f == nullptr) {
    throw std::logic_error("self-metric " + name + ": " + error);
  }
  return f;
}

}  // namespace

struct ScrapeCycle::Outcome {
  size_t source = 0;
  std::string node;  // empty for cluster-scoped sources
  std::shared_ptr<const NodeChunk> chunk;  // null when nothing was emitted
  kmetrics_status status = KMETRICS_OK;
  std::string error;
  bool timed_out = false;
  bool not_started = false;  // the tick stopped waiting before a worker picked the scrape up
  std::map<std::string, uint64_t> drops;
  uint64_t rejected = 0;
};

bool ScrapeExecutors::needsThreads(const std::vector<ScrapeSource>& sources) {
  return std::any_of(sources.begin(), sources.end(), [](const ScrapeSource& s) { return !s.handle->scrapeFiberSafe(); });
}

ScrapeCycle::ScrapeCycle(ScrapeOptions options, std::vector<ScrapeSource> sources, const ClusterAccess& cluster,
                         ScrapeExecutors executors, Store& store, std::vector<PushSinkWorker*> push_sinks,
                         SelfMetrics& metrics)
    : options_(options),
      sources_(std::move(sources)),
      cluster_(cluster),
      store_(store),
      push_sinks_(std::move(push_sinks)),
      error_log_(std::chrono::minutes(1)),
      push_dropped_seen_(push_sinks_.size(), 0) {
  for (const auto& source : sources_) {
    const bool fibers = executors.fibers != nullptr && source.handle->scrapeFiberSafe();
    executors_.push_back(fibers ? executors.fibers : executors.threads);
    if (executors_.back() == nullptr) throw std::invalid_argument("no executor for source " + source.handle->id());
  }
  tick_duration_ = family(metrics, MetricKind::kHistogram, "metrics_server_manager_tick_duration_seconds",
                          "[ALPHA] The total time spent collecting and storing metrics in seconds.", {},
                          tickBuckets(options_.resolution));
  storage_points_ = family(metrics, MetricKind::kGauge, "metrics_server_storage_points",
                           "[ALPHA] Number of metrics points stored.", {"type"});
  scrape_errors_ = family(metrics, MetricKind::kCounter, "kmetrics_scrape_errors_total",
                          "Failed scrapes by source instance and error code.", {"source", "code"});
  dropped_samples_ = family(metrics, MetricKind::kCounter, "kmetrics_source_dropped_samples_total",
                            "Samples a source dropped while decoding, by reason.", {"source", "reason"});
  late_scrapes_ = family(metrics, MetricKind::kCounter, "kmetrics_scrape_late_total",
                         "Scrapes still running at the tick deadline; their results were discarded.", {});
  push_dropped_ = family(metrics, MetricKind::kCounter, "kmetrics_bus_dropped_total",
                         "Batches dropped (oldest first) because a push sink's queue was full.", {"sink"});
}

ScrapeCycle::Outcome ScrapeCycle::scrapeOne(size_t source, const kmetrics_node_info* node,
                                            Clock::time_point wait_deadline, Clock::time_point request_deadline,
                                            int64_t now_unix) {
  Outcome o;
  o.source = source;
  if (node != nullptr) o.node.assign(node->name.ptr, node->name.len);
  // The per-node timeout starts when the scrape starts, not when the tick did, so nodes queued behind
  // others on the pool still get their full --kubelet-request-timeout (capped by the tick deadline).
  const Clock::time_point node_deadline = std::min(request_deadline, Clock::now() + options_.node_timeout);
  if (Clock::now() >= wait_deadline) {
    // Queued behind other scrapes until the tick was over: say so rather than "timeout after 0s".
    o.status = KMETRICS_ERR_DEADLINE;
    o.error = "not started before the tick deadline: every scrape worker was busy";
    o.timed_out = true;
    o.not_started = true;
    return o;
  }
  kmetrics_scrape_request req{sizeof(kmetrics_scrape_request), node, monoNs(node_deadline), now_unix,
                              static_cast<uint32_t>(KMETRICS_WANT_CORE) | (options_.want_extended ? static_cast<uint32_t>(KMETRICS_WANT_EXTENDED) : 0u)};
  BatchEmitter emitter(o.node);
  const CallResult r = sources_[source].handle->scrape(req, emitter.abi());
  o.status = r.status;
  o.error = r.summary();
  o.timed_out = r.status == KMETRICS_ERR_DEADLINE || Clock::now() > node_deadline;
  o.drops = emitter.drops();
  o.rejected = emitter.rejected();
  o.chunk = emitter.finish();
  return o;
}

void ScrapeCycle::report(const Outcome& o) {
  const std::string& id = sources_[o.source].handle->id();
  for (const auto& [reason, count] : o.drops) {
    dropped_samples_->record({id, reason}, static_cast<double>(count));
  }
  if (o.rejected > 0) dropped_samples_->record({id, "malformed_sample"}, static_cast<double>(o.rejected));
  const std::string key = id + "|" + o.node;
  if (o.status == KMETRICS_OK) {
    error_log_.clear(key);
    return;
  }
  scrape_errors_->record({id, statusName(o.status)}, 1);
  uint64_t suppressed = 0;
  if (error_log_.shouldLog(key, Clock::now(), &suppressed)) {
    const char* what = o.timed_out ? "Failed to scrape node, timeout to access kubelet" : "Failed to scrape node";
    spdlog::error("{} source={} node={} err=\"{}\"{}", what, id, o.node.empty() ? "-" : o.node, o.error,
                  suppressed > 0 ? " (" + std::to_string(suppressed) + " similar errors suppressed)" : "");
  }
}

void ScrapeCycle::tick(Clock::time_point start) {
  const int64_t now_unix = unixNow();
  const bool bootstrap = bootstrapping_;
  if (bootstrap && bootstrap_ticks_ == 0) bootstrap_start_ = start;
  // Requests always get the time a normal tick gives them; a bootstrap tick only stops waiting sooner.
  const Clock::time_point request_deadline = start + options_.resolution * 9 / 10;
  const Clock::time_point deadline =
      bootstrap ? std::min(request_deadline, start + options_.bootstrap_period * (1 + bootstrap_ticks_) * 9 / 10)
                : request_deadline;

  // Copy the node list once: workers scrape after the cluster view may have changed.
  std::vector<std::shared_ptr<const OwnedNode>> nodes;
  cluster_.forEachNode([&](const kmetrics_node_info& n) {
    nodes.push_back(std::make_shared<const OwnedNode>(n));
    return true;
  });

  TickCollector<Outcome> collector;
  std::vector<size_t> refused(sources_.size(), 0);
  for (size_t s = 0; s < sources_.size(); ++s) {
    if (sources_[s].handle->perNode()) {
      for (const auto& node : nodes) {
        // The task owns a reference to its node: a late task may run after this tick returned.
        if (!collector.add(*executors_[s], [this, s, node, deadline, request_deadline, now_unix] {
              return scrapeOne(s, &node->abi(), deadline, request_deadline, now_unix);
            })) {
          ++refused[s];
        }
      }
    } else if (!collector.add(*executors_[s], [this, s, deadline, request_deadline, now_unix] {
                 return scrapeOne(s, nullptr, deadline, request_deadline, now_unix);
               })) {
      ++refused[s];
    }
  }
  size_t late = 0;
  std::vector<Outcome> outcomes = collector.wait(deadline, &late);

  // Each source's chunks as they are (moved, not copied), then merged by priority: with one source
  // the merge passes its batch through.
  std::vector<SourceBatch> source_batches(sources_.size());
  for (size_t s = 0; s < sources_.size(); ++s) {
    source_batches[s].priority = sources_[s].priority;
    source_batches[s].batch.chunks.reserve(outcomes.size());
  }
  size_t not_started = 0;
  for (auto& o : outcomes) {
    if (bootstrap && o.not_started) {
      ++not_started;  // expected while bootstrapping: not an error, the next tick tries again
      continue;
    }
    report(o);
    if (o.chunk != nullptr && !o.chunk->empty()) source_batches[o.source].batch.chunks.push_back(std::move(o.chunk));
  }
  for (size_t s = 0; s < sources_.size(); ++s) {
    if (refused[s] > 0) {
      spdlog::warn("source {}: {} scrapes refused: the worker pool queue is full", sources_[s].handle->id(), refused[s]);
    }
  }
  if (bootstrap) {
    if (late + not_started > 0) {
      spdlog::info("bootstrap tick {}: {} of {} scrapes still to come; serving what answered", bootstrap_ticks_ + 1,
                   late + not_started, outcomes.size() + late);
    }
  } else if (late > 0) {
    late_scrapes_->record({}, static_cast<double>(late));
    spdlog::warn("{} scrapes were still running at the tick deadline; their nodes are not served this tick", late);
  }
  auto batch = std::make_shared<TickBatch>(merge_source_batches(source_batches));
  source_batches.clear();
  const Store::ApplyResult applied = store_.apply(*batch);
  // Push sinks get one sample per object: known here when the store met no object twice.
  if (!applied.duplicates) batch->objects_unique = true;
  const std::shared_ptr<const TickBatch> merged = std::move(batch);
  for (size_t i = 0; i < push_sinks_.size(); ++i) {
    push_sinks_[i]->enqueue(merged);
    const uint64_t dropped = push_sinks_[i]->dropped();
    if (dropped > push_dropped_seen_[i]) {
      push_dropped_->record({push_sinks_[i]->name()}, static_cast<double>(dropped - push_dropped_seen_[i]));
      push_dropped_seen_[i] = dropped;
    }
  }

  const auto snap = store_.snapshot();
  if (bootstrap) endBootstrap(start, late + not_started, applied.nodes, snap->nodes().size(), snap->ready());
  storage_points_->record({"node"}, static_cast<double>(snap->points().nodes_with_prev));
  storage_points_->record({"container"}, static_cast<double>(snap->points().containers_with_prev));
  tick_duration_->record({}, std::chrono::duration<double>(Clock::now() - start).count());
  ++ticks_completed_;
  spdlog::debug("tick: {} nodes, {} outcomes, {} late, {} nodes and {} pods served", nodes.size(), outcomes.size(),
                late, snap->nodes().size(), snap->pods().size());
}

void ScrapeCycle::endBootstrap(Clock::time_point tick_start, size_t pending, size_t nodes_scraped, size_t nodes_served,
                               bool ready) {
  ++bootstrap_ticks_;
  const bool everyone_served = ready && pending == 0 && nodes_served >= nodes_scraped;
  const bool out_of_time = tick_start - bootstrap_start_ >= options_.resolution;
  if (everyone_served || out_of_time) {
    bootstrapping_ = false;
    spdlog::info("bootstrap done after {} ticks: {} nodes served; ticking every {}s from now on", bootstrap_ticks_,
                 nodes_served, std::chrono::duration<double>(options_.resolution).count());
  }
}

}  // namespace kmetrics
