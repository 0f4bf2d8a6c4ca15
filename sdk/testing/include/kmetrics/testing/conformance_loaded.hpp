// KMETRICS_CONFORMANCE_LOADED: the conformance suite on a built plugin .so, loaded through the
// host's real loader (kmetrics::PluginRegistry), so descriptor checks and dlopen are exercised too.
//
//   KMETRICS_CONFORMANCE_LOADED(HelloLoaded, HELLO_PLUGIN_PATH, "example_hello");
//
// In-tree only (link kmetrics_sdk_testing_loaded): it needs the host's loader, which the installed
// SDK does not ship. Out-of-tree plugins use KMETRICS_CONFORMANCE_LINKED.
#pragma once

#include <memory>
#include <string>

#include "kmetrics/testing/conformance.hpp"
#include "loader/plugin_registry.hpp"

namespace kmetrics::testing {

// Loads `file` into a private registry and targets its component `type`.
inline ConformanceTarget loadedTarget(const std::string& file, const std::string& type,
                                      ConformanceOptions options = {}) {
  ConformanceTarget t;
  t.options = std::move(options);
  auto registry = std::make_shared<kmetrics::PluginRegistry>();
  registry->loadFile(file);
  for (const auto& e : registry->errors()) {
    t.error += (t.error.empty() ? "" : "; ") + e.toString();
  }
  if (const auto* factory = registry->find(type)) {
    t.component = &factory->component();
    t.keep_alive = registry;  // keeps the library (and so the component) alive
  } else if (t.error.empty()) {
    t.error = file + " does not register type \"" + type + "\"";
  }
  return t;
}

}  // namespace kmetrics::testing

// KMETRICS_CONFORMANCE_LOADED(Suite, "/path/libkmetrics_x.so", "type" [, ConformanceOptions{...}])
#define KMETRICS_CONFORMANCE_LOADED(Suite, file, type, ...)                                       \
  KMETRICS_CONFORMANCE_TESTS_(                                                                  \
      Suite, ::kmetrics::testing::loadedTarget(file, type __VA_OPT__(, ) __VA_ARGS__), type)
