// The configured source and sink instances: created from the registry with their config, started
// (sinks before sources) and shut down (sources before sinks) by the server. Push sinks get a
// bounded queue and a consumer thread each.
// THREADING: everything here runs on the server's control thread; scrape/consume calls go through
// the handles from the scheduler and the push workers.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/host_services.hpp"
#include "app/scrape_cycle.hpp"
#include "config/host_config.hpp"
#include "loader/plugin_registry.hpp"
#include "store/push_sink_worker.hpp"

namespace kmetrics {

class PluginInstances {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kPushQueueCapacity = 8;

  PluginInstances(const PluginRegistry& registry, HostServices& services);
  ~PluginInstances();

  // Creates every sink, then every source. Logs every error (unknown type with the known ones,
  // config errors with their paths); returns false if any instance could not be created.
  bool create(const config::HostConfig& cfg);
  bool startSinks();
  bool startSources();

  std::vector<ScrapeSource> scrapeSources() const;
  std::vector<PushSinkWorker*> pushWorkers() const;
  // Whether some sink reads extended series (KMETRICS_COMPONENT_WANTS_EXTENDED).
  bool wantExtended() const;

  void shutdownSources(Clock::time_point deadline);
  void shutdownPushWorkers(Clock::time_point deadline);
  void shutdownSinks(Clock::time_point deadline);
  void shutdownAll(Clock::time_point deadline);

  // Instance ids with their error counts, for health and logs.
  std::vector<std::pair<std::string, uint64_t>> errorCounts() const;

 private:
  struct Source {
    std::unique_ptr<SourceHandle> handle;
    int priority = 0;
  };
  struct Sink {
    std::unique_ptr<SinkHandle> handle;
    std::unique_ptr<PushSinkWorker> worker;  // push sinks only
  };

  const PluginRegistry& registry_;
  HostServices& services_;
  std::vector<Sink> sinks_;
  std::vector<Source> sources_;
};

// Whether a component declares KMETRICS_COMPONENT_WANTS_EXTENDED.
bool componentWantsExtended(const kmetrics_component& c);

// Monotonic nanoseconds of a steady_clock time point (the ABI's deadline unit).
int64_t toMonoNs(std::chrono::steady_clock::time_point t);

}  // namespace kmetrics
