#include "app/plugin_instances.hpp"

#include <spdlog/spdlog.h>

#include "app/batch_abi.hpp"

namespace kmetrics {
namespace {

std::string knownTypes(const PluginRegistry& registry) {
  std::string s;
  for (const auto& t : registry.types()) s += (s.empty() ? "" : ", ") + t;
  return s.empty() ? "none (no plugin library was loaded)" : s;
}

std::string where(const config::PluginInstance& inst, const char* list, size_t index) {
  return inst.path.empty() ? std::string(list) + "[" + std::to_string(index) + "]" : inst.path;
}

void logDiagnostics(const std::string& where, const CallResult& r) {
  if (r.diagnostics.empty()) {
    spdlog::error("{}: {}", where, statusName(r.status));
  }
  for (const auto& d : r.diagnostics) {
    spdlog::error("{}{}: {}", where, d.path.empty() ? "" : ".config." + d.path, d.message);
  }
}

}  // namespace

int64_t toMonoNs(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

PluginInstances::PluginInstances(const PluginRegistry& registry, HostServices& services)
    : registry_(registry), services_(services) {}

PluginInstances::~PluginInstances() { shutdownAll(Clock::now() + std::chrono::seconds(5)); }

bool PluginInstances::create(const config::HostConfig& cfg) {
  bool ok = true;
  for (size_t i = 0; i < cfg.sinks.size(); ++i) {
    const auto& inst = cfg.sinks[i];
    const std::string at = where(inst, "sinks", i);
    const ComponentFactory* f = registry_.find(inst.type);
    if (f == nullptr || !f->isSink()) {
      spdlog::error("{}: unknown sink type \"{}\"; known types: {}", at, inst.type, knownTypes(registry_));
      ok = false;
      continue;
    }
    InstanceContext* ctx = services_.newContext(inst.type + "/" + inst.name);
    auto created = f->createSink({inst.name, inst.config_json(), services_.table(), ctx});
    if (!created.handle) {
      logDiagnostics(at, created.result);
      ok = false;
      continue;
    }
    Sink sink{std::move(created.handle), nullptr};
    if (sink.handle->isPush()) {
      SinkHandle* h = sink.handle.get();
      sink.worker = std::make_unique<PushSinkWorker>(h->id(), kPushQueueCapacity, [h](const std::shared_ptr<const TickBatch>& b) {
        const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
        BatchAbiView view(*b, now);
        const CallResult r = h->consume(view.abi());
        if (!r.ok()) spdlog::warn("push sink {}: {}", h->id(), r.summary());
      });
    }
    sinks_.push_back(std::move(sink));
  }
  for (size_t i = 0; i < cfg.sources.size(); ++i) {
    const auto& inst = cfg.sources[i];
    const std::string at = where(inst, "sources", i);
    const ComponentFactory* f = registry_.find(inst.type);
    if (f == nullptr || !f->isSource()) {
      spdlog::error("{}: unknown source type \"{}\"; known types: {}", at, inst.type, knownTypes(registry_));
      ok = false;
      continue;
    }
    InstanceContext* ctx = services_.newContext(inst.type + "/" + inst.name);
    auto created = f->createSource({inst.name, inst.config_json(), services_.table(), ctx});
    if (!created.handle) {
      logDiagnostics(at, created.result);
      ok = false;
      continue;
    }
    sources_.push_back({std::move(created.handle), inst.priority});
  }
  return ok;
}

bool PluginInstances::startSinks() {
  for (auto& s : sinks_) {
    const CallResult r = s.handle->start();
    if (!r.ok()) {
      spdlog::error("sink {} failed to start: {}", s.handle->id(), r.summary());
      return false;
    }
  }
  return true;
}

bool PluginInstances::startSources() {
  for (auto& s : sources_) {
    const CallResult r = s.handle->start();
    if (!r.ok()) {
      spdlog::error("source {} failed to start: {}", s.handle->id(), r.summary());
      return false;
    }
  }
  return true;
}

std::vector<ScrapeSource> PluginInstances::scrapeSources() const {
  std::vector<ScrapeSource> out;
  for (const auto& s : sources_) out.push_back({s.handle.get(), s.priority});
  return out;
}

std::vector<PushSinkWorker*> PluginInstances::pushWorkers() const {
  std::vector<PushSinkWorker*> out;
  for (const auto& s : sinks_) {
    if (s.worker) out.push_back(s.worker.get());
  }
  return out;
}

bool PluginInstances::wantExtended() const {
  for (const auto& s : sinks_) {
    if (componentWantsExtended(s.handle->component())) return true;
  }
  return false;
}

bool componentWantsExtended(const kmetrics_component& c) {
  // `flags` was appended to the v1.0 layout: only read it when the plugin's struct has it.
  return c.struct_size >= offsetof(kmetrics_component, flags) + sizeof(uint32_t) &&
         (c.flags & KMETRICS_COMPONENT_WANTS_EXTENDED) != 0;
}

void PluginInstances::shutdownSources(Clock::time_point deadline) {
  for (auto it = sources_.rbegin(); it != sources_.rend(); ++it) it->handle->shutdown(toMonoNs(deadline));
}

void PluginInstances::shutdownPushWorkers(Clock::time_point deadline) {
  for (auto& s : sinks_) {
    if (s.worker && !s.worker->shutdown(deadline)) {
      spdlog::warn("push sink {}: {} batches not delivered by the shutdown deadline", s.handle->id(), s.worker->queued());
    }
  }
}

void PluginInstances::shutdownSinks(Clock::time_point deadline) {
  for (auto it = sinks_.rbegin(); it != sinks_.rend(); ++it) it->handle->shutdown(toMonoNs(deadline));
}

void PluginInstances::shutdownAll(Clock::time_point deadline) {
  shutdownSources(deadline);
  shutdownPushWorkers(deadline);
  shutdownSinks(deadline);
}

std::vector<std::pair<std::string, uint64_t>> PluginInstances::errorCounts() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const auto& s : sinks_) out.emplace_back(s.handle->id(), s.handle->errorCount());
  for (const auto& s : sources_) out.emplace_back(s.handle->id(), s.handle->errorCount());
  return out;
}

}  // namespace kmetrics
