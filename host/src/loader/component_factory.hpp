// ComponentFactory: one registered component type (a source or sink of a loaded library) and the
// way to create instances of it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kmetrics/abi.h"
#include "loader/call_result.hpp"
#include "loader/instance_handle.hpp"

namespace kmetrics {

class PluginLibrary;

// An instance, or why there is none (the plugin's config errors with their paths).
template <class Handle>
struct Created {
  std::unique_ptr<Handle> handle;  // null when create failed
  CallResult result;
};

// What create passes to the plugin besides the config.
struct InstanceArgs {
  std::string name;                        // instance name, e.g. "primary"
  std::string config_json;                 // the instance's config object as JSON text
  const kmetrics_host_api* host = nullptr; // host services; valid until the instance is destroyed
  void* host_ctx = nullptr;                // identifies the instance in host callbacks
};

class ComponentFactory {
 public:
  ComponentFactory(std::shared_ptr<PluginLibrary> library, const kmetrics_component* component);

  std::string_view type() const { return component_->type; }
  bool isSource() const { return component_->kind == KMETRICS_KIND_SOURCE; }
  bool isSink() const { return component_->kind == KMETRICS_KIND_SINK; }
  bool isPushSink() const { return isSink() && component_->scope_or_mode == KMETRICS_SINK_PUSH; }
  // Descriptive strings; "" when the plugin left them NULL.
  std::string_view version() const { return orEmpty(component_->version); }
  std::string_view stability() const { return orEmpty(component_->stability); }
  std::string_view description() const { return orEmpty(component_->description); }
  std::string_view configSchemaJson() const { return orEmpty(component_->config_schema_json); }
  std::string_view exampleConfigJson() const { return orEmpty(component_->example_config_json); }

  const kmetrics_component& component() const { return *component_; }
  const std::shared_ptr<PluginLibrary>& library() const { return library_; }
  // The library file this type came from.
  const std::string& file() const;

  // Creates a source instance (INVALID_ARGUMENT without calling the plugin if this is a sink).
  Created<SourceHandle> createSource(const InstanceArgs& args) const;
  // Creates a sink instance (INVALID_ARGUMENT without calling the plugin if this is a source).
  Created<SinkHandle> createSink(const InstanceArgs& args) const;

 private:
  static std::string_view orEmpty(const char* s) { return s == nullptr ? std::string_view{} : s; }
  // Calls the plugin's create; on success `instance` holds the new instance.
  CallResult create(const InstanceArgs& args, void*& instance) const;

  // First member: the library outlives component_, which points into it.
  std::shared_ptr<PluginLibrary> library_;
  const kmetrics_component* component_;
};

}  // namespace kmetrics
