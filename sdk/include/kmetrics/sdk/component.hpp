// Base classes for plugin components and the trampolines that turn them into ABI descriptors,
// so plugin authors never write extern "C".
//
// A component class T provides:
//   using Config = ...;                                   // default-constructible with defaults
//   static void describe(kmetrics::sdk::ConfigSpec<Config>&);
//   T(const kmetrics::sdk::Context&, Config);             // may throw std::invalid_argument
// and derives from Source, QuerySink or PushSink.
//
// Lifecycle (see kmetrics_component in abi.h): construct -> start -> work -> shutdown -> destroy.
// shutdown is idempotent and runs even when start was never called; the SDK guarantees both.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/config.hpp"
#include "kmetrics/sdk/diag.hpp"
#include "kmetrics/sdk/host.hpp"
#include "kmetrics/sdk/samples.hpp"
#include "kmetrics/sdk/status.hpp"

namespace kmetrics::sdk {

// What every component instance is constructed with.
struct Context {
  Host host;
  std::string instance_name;
};

class Component {
 public:
  virtual ~Component() = default;
  // Begins background work; returns quickly.
  virtual Status start() { return Status::ok(); }
  // Stops all work by the deadline. Called at most once by the SDK, also without start.
  virtual void shutdown(int64_t /*deadline_mono_ns*/) {}
};

class Source : public Component {
 public:
  // Scrapes one node (per-node scope) or the whole cluster (cluster scope) and emits samples.
  // May run concurrently for different nodes: keep per-call state on the stack.
  virtual Status scrape(const ScrapeRequest& request, const Emitter& out) = 0;
};

// A sink that serves queries from snapshots (registers routes in its constructor or start).
class QuerySink : public Component {};

// A sink that receives every tick's batch; never called concurrently for one instance.
class PushSink : public Component {
 public:
  virtual Status consume(const BatchView& batch) = 0;
};

struct ComponentInfo {
  const char* type;
  const char* version;
  const char* stability;
  const char* description;
  uint32_t flags = 0;  // KMETRICS_COMPONENT_* bits
};

namespace component_detail {

template <class T>
struct Instance {
  std::unique_ptr<T> object;
  std::atomic<bool> shut_down{false};
};

// Runs `fn`, turning exceptions into a status and a diag report: nothing C++ crosses the ABI.
template <class Fn>
kmetrics_status guarded(const kmetrics_diag* diag, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::invalid_argument& e) {
    report(diag, "", e.what());
    return KMETRICS_ERR_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    report(diag, "", std::string("unexpected exception: ") + e.what());
    return KMETRICS_ERR_INTERNAL;
  } catch (...) {
    report(diag, "", "unexpected non-standard exception");
    return KMETRICS_ERR_INTERNAL;
  }
}

inline kmetrics_status fromStatus(const Status& s, const kmetrics_diag* diag) {
  if (!s.isOk()) {
    report(diag, "", s.message());
  }
  return s.code();
}

template <class T>
const ConfigSpec<typename T::Config>& spec() {
  static const ConfigSpec<typename T::Config> s = [] {
    ConfigSpec<typename T::Config> built;
    T::describe(built);
    return built;
  }();
  return s;
}

template <class T>
struct Trampolines {
  static kmetrics_status create(const kmetrics_host_api* api, void* ctx, kmetrics_str name,
                                kmetrics_str config_json, const kmetrics_diag* diag, void** out) {
    return guarded(diag, [&]() -> kmetrics_status {
      if (api == nullptr || api->struct_size < sizeof(kmetrics_host_api) ||
          api->abi_major != KMETRICS_ABI_VERSION_MAJOR) {
        report(diag, "", "host services table is older than this plugin's SDK");
        return KMETRICS_ERR_INVALID_ARGUMENT;
      }
      typename T::Config config;
      std::vector<Diagnostic> errors;
      if (!decodeConfig(spec<T>(), view(config_json), config, errors)) {
        for (const auto& e : errors) {
          report(diag, e.path, e.message);
        }
        return KMETRICS_ERR_INVALID_ARGUMENT;
      }
      auto inst = std::make_unique<Instance<T>>();
      inst->object = std::make_unique<T>(Context{Host(api, ctx), copy(name)}, std::move(config));
      *out = inst.release();
      return KMETRICS_OK;
    });
  }

  static kmetrics_status start(void* instance, const kmetrics_diag* diag) {
    return guarded(diag, [&] { return fromStatus(self(instance)->object->start(), diag); });
  }

  static void shutdown(void* instance, int64_t deadline) {
    auto* inst = self(instance);
    if (inst->shut_down.exchange(true)) {
      return;  // idempotent
    }
    guarded(nullptr, [&] {
      inst->object->shutdown(deadline);
      return KMETRICS_OK;
    });
  }

  static void destroy(void* instance) {
    guarded(nullptr, [&] {
      shutdown(instance, 0);
      delete self(instance);
      return KMETRICS_OK;
    });
  }

  static kmetrics_status scrape(void* instance, const kmetrics_scrape_request* req,
                                const kmetrics_emitter* out, const kmetrics_diag* diag) {
    return guarded(diag, [&] {
      if constexpr (std::is_base_of_v<Source, T>) {
        return fromStatus(self(instance)->object->scrape(ScrapeRequest(*req), Emitter(*out)), diag);
      } else {
        return KMETRICS_ERR_UNIMPLEMENTED;
      }
    });
  }

  static kmetrics_status consume(void* instance, const kmetrics_batch* batch, const kmetrics_diag* diag) {
    return guarded(diag, [&] {
      if constexpr (std::is_base_of_v<PushSink, T>) {
        return fromStatus(self(instance)->object->consume(BatchView(*batch)), diag);
      } else {
        return KMETRICS_ERR_UNIMPLEMENTED;
      }
    });
  }

  static Instance<T>* self(void* p) { return static_cast<Instance<T>*>(p); }
};

template <class T>
const kmetrics_component* describeComponent(const ComponentInfo& info, kmetrics_component_kind kind,
                                            uint32_t scope_or_mode) {
  static const std::string schema = spec<T>().schema(info.type).dump(2);
  static const std::string example = spec<T>().example().dump(2);
  static const kmetrics_component c = {
      sizeof(kmetrics_component),
      kind,
      info.type,
      info.version,
      info.stability,
      info.description,
      schema.c_str(),
      example.c_str(),
      scope_or_mode,
      &Trampolines<T>::create,
      &Trampolines<T>::start,
      &Trampolines<T>::shutdown,
      &Trampolines<T>::destroy,
      kind == KMETRICS_KIND_SOURCE ? &Trampolines<T>::scrape : nullptr,
      scope_or_mode == KMETRICS_SINK_PUSH && kind == KMETRICS_KIND_SINK ? &Trampolines<T>::consume
                                                                         : nullptr,
      info.flags,
  };
  return &c;
}

}  // namespace component_detail

template <class T>
const kmetrics_component* sourceComponent(const ComponentInfo& info,
                                          kmetrics_source_scope scope = KMETRICS_SCOPE_PER_NODE) {
  static_assert(std::is_base_of_v<Source, T>, "a source component derives from kmetrics::sdk::Source");
  return component_detail::describeComponent<T>(info, KMETRICS_KIND_SOURCE, scope);
}

template <class T>
const kmetrics_component* querySinkComponent(const ComponentInfo& info) {
  static_assert(std::is_base_of_v<QuerySink, T>, "a query sink derives from kmetrics::sdk::QuerySink");
  return component_detail::describeComponent<T>(info, KMETRICS_KIND_SINK, KMETRICS_SINK_QUERY);
}

template <class T>
const kmetrics_component* pushSinkComponent(const ComponentInfo& info) {
  static_assert(std::is_base_of_v<PushSink, T>, "a push sink derives from kmetrics::sdk::PushSink");
  return component_detail::describeComponent<T>(info, KMETRICS_KIND_SINK, KMETRICS_SINK_PUSH);
}

}  // namespace kmetrics::sdk
