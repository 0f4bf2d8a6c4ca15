// Host-side handles on plugin instances. They enforce the lifecycle of kmetrics_component for the
// rest of the host:
//   create -> start -> (scrape | consume)* -> shutdown -> destroy
// - shutdown is idempotent, runs without start, and waits for calls in flight; no call reaches the
//   plugin after it (scrape/consume/start are refused with UNAVAILABLE).
// - destroy runs exactly once, in the destructor, after shutdown (which it runs if needed).
// - No C++ exception escapes: a throwing hook becomes KMETRICS_ERR_INTERNAL with its message.
// - Every failed plugin call is counted (errorCount) for health and self-metrics.
// THREADING: scrape may be called from many threads at once (per-node sources); start, shutdown and
// the destructor from one control thread. consume is never called concurrently by the bus; the
// handle does not serialize it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>

#include "kmetrics/abi.h"
#include "loader/call_result.hpp"

namespace kmetrics {

class PluginLibrary;

class InstanceHandle {
 public:
  InstanceHandle(const InstanceHandle&) = delete;
  InstanceHandle& operator=(const InstanceHandle&) = delete;
  virtual ~InstanceHandle();

  // "type/name", as logs and health show it.
  const std::string& id() const { return id_; }
  const kmetrics_component& component() const { return *component_; }

  // Calls the plugin's start once; a second call or a call after shutdown is refused.
  CallResult start();
  // Stops the instance by `deadline_mono_ns` (CLOCK_MONOTONIC ns). Idempotent.
  void shutdown(int64_t deadline_mono_ns);
  bool isShutDown() const;

  // Failed plugin calls (non-OK status or exception) since create.
  uint64_t errorCount() const { return errors_.load(std::memory_order_relaxed); }

 protected:
  InstanceHandle(std::shared_ptr<PluginLibrary> library, const kmetrics_component* component,
                 void* instance, std::string id);

  // Runs a work hook (scrape/consume) under the shared lock, if the instance is running.
  template <class Fn>
  CallResult callRunning(const char* hook, Fn&& fn);

  // First member: the library outlives component_ and instance_, which point into it.
  std::shared_ptr<PluginLibrary> library_;
  const kmetrics_component* component_;
  void* instance_;
  std::string id_;

 private:
  enum class State { kCreated, kStarted, kStartFailed, kShutDown };

  void countIfFailed(const CallResult& r);

  mutable std::shared_mutex mu_;  // shared: work calls; exclusive: start/shutdown
  State state_ = State::kCreated;
  std::atomic<uint64_t> errors_{0};
};

class SourceHandle : public InstanceHandle {
 public:
  SourceHandle(std::shared_ptr<PluginLibrary> library, const kmetrics_component* component,
               void* instance, std::string id)
      : InstanceHandle(std::move(library), component, instance, std::move(id)) {}

  bool perNode() const { return component_->scope_or_mode == KMETRICS_SCOPE_PER_NODE; }
  // The plugin promises its scrape waits only inside host calls (KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE).
  bool scrapeFiberSafe() const { return (component_->flags & KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE) != 0; }
  // One scrape. `request` and `out` are host-owned and valid for the call.
  CallResult scrape(const kmetrics_scrape_request& request, const kmetrics_emitter& out);
};

class SinkHandle : public InstanceHandle {
 public:
  SinkHandle(std::shared_ptr<PluginLibrary> library, const kmetrics_component* component,
             void* instance, std::string id)
      : InstanceHandle(std::move(library), component, instance, std::move(id)) {}

  bool isPush() const { return component_->scope_or_mode == KMETRICS_SINK_PUSH; }
  // Delivers one batch to a push sink (UNIMPLEMENTED for query sinks).
  CallResult consume(const kmetrics_batch& batch);
};

}  // namespace kmetrics
