#include "loader/instance_handle.hpp"

#include <chrono>
#include <mutex>

#include "loader/hook_call.hpp"
#include "loader/plugin_library.hpp"

namespace kmetrics {
namespace {

// Deadline for the implicit shutdown in a destructor (the app normally shuts down explicitly).
constexpr std::chrono::seconds kImplicitShutdownGrace{5};

int64_t monoNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

CallResult refused(kmetrics_status status, std::string message) {
  CallResult r;
  r.status = status;
  r.diagnostics.push_back({"", std::move(message)});
  return r;
}

}  // namespace

InstanceHandle::InstanceHandle(std::shared_ptr<PluginLibrary> library,
                               const kmetrics_component* component, void* instance, std::string id)
    : library_(std::move(library)), component_(component), instance_(instance), id_(std::move(id)) {}

InstanceHandle::~InstanceHandle() {
  shutdown(monoNowNs() + std::chrono::nanoseconds(kImplicitShutdownGrace).count());
  try {
    component_->destroy(instance_);
  } catch (...) {
    // A destructor must not throw; the plugin's memory is its own problem now.
  }
}

CallResult InstanceHandle::start() {
  std::unique_lock lock(mu_);
  if (state_ != State::kCreated) {
    return refused(KMETRICS_ERR_UNAVAILABLE, id_ + ": start refused: " +
                                                 (state_ == State::kShutDown ? "already shut down"
                                                                             : "already started"));
  }
  CallResult r = invokeHook("start", [&](const kmetrics_diag* d) {
    return component_->start(instance_, d);
  });
  state_ = r.ok() ? State::kStarted : State::kStartFailed;
  countIfFailed(r);
  return r;
}

void InstanceHandle::shutdown(int64_t deadline_mono_ns) {
  std::unique_lock lock(mu_);  // waits for scrapes/consumes in flight
  if (state_ == State::kShutDown) {
    return;
  }
  state_ = State::kShutDown;
  try {
    component_->shutdown(instance_, deadline_mono_ns);
  } catch (...) {
    errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

bool InstanceHandle::isShutDown() const {
  std::shared_lock lock(mu_);
  return state_ == State::kShutDown;
}

void InstanceHandle::countIfFailed(const CallResult& r) {
  if (!r.ok()) {
    errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

template <class Fn>
CallResult InstanceHandle::callRunning(const char* hook, Fn&& fn) {
  std::shared_lock lock(mu_);
  if (state_ != State::kStarted) {
    return refused(KMETRICS_ERR_UNAVAILABLE,
                   id_ + ": " + hook + " refused: instance is " +
                       (state_ == State::kShutDown ? "shut down" : "not started"));
  }
  CallResult r = invokeHook(hook, std::forward<Fn>(fn));
  countIfFailed(r);
  return r;
}

CallResult SourceHandle::scrape(const kmetrics_scrape_request& request, const kmetrics_emitter& out) {
  return callRunning("scrape", [&](const kmetrics_diag* d) {
    return component_->scrape(instance_, &request, &out, d);
  });
}

CallResult SinkHandle::consume(const kmetrics_batch& batch) {
  if (!isPush()) {
    return refused(KMETRICS_ERR_UNIMPLEMENTED, id_ + ": consume called on a query sink");
  }
  return callRunning("consume", [&](const kmetrics_diag* d) {
    return component_->consume(instance_, &batch, d);
  });
}

}  // namespace kmetrics
