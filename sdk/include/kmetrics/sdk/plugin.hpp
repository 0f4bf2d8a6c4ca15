// KMETRICS_PLUGIN: exports a library's entry symbol (kmetrics_plugin_entry_v1) via BOOST_DLL_ALIAS.
//
//   KMETRICS_PLUGIN("example", "0.1.0",
//       kmetrics::sdk::sourceComponent<HelloSource>({"hello", "0.1.0", "alpha", "Says hello."}),
//       kmetrics::sdk::pushSinkComponent<JsonLinesSink>({"json_lines", "0.1.0", "alpha", "..."}));
//
// Use it once per library, at namespace scope in one .cpp file.
#pragma once

#include <boost/dll/alias.hpp>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/component.hpp"

#define KMETRICS_SDK_STRINGIFY_(x) #x
#define KMETRICS_SDK_STRINGIFY(x) KMETRICS_SDK_STRINGIFY_(x)

#ifdef NDEBUG
#define KMETRICS_SDK_BUILD_TYPE "release"
#else
#define KMETRICS_SDK_BUILD_TYPE "debug"
#endif

// Compiler, standard library and SDK ABI the plugin was built with; the host logs it.
#define KMETRICS_SDK_BUILD_INFO                                                          \
  "compiler=" __VERSION__ "; libstdc++=" KMETRICS_SDK_STRINGIFY(_GLIBCXX_RELEASE)        \
  "; abi=" KMETRICS_SDK_STRINGIFY(KMETRICS_ABI_VERSION_MAJOR) "." KMETRICS_SDK_STRINGIFY( \
      KMETRICS_ABI_VERSION_MINOR) "; build=" KMETRICS_SDK_BUILD_TYPE

#define KMETRICS_PLUGIN(NAME, VERSION, ...)                                                     \
  namespace {                                                                                   \
  const kmetrics_plugin_descriptor* kmetricsPluginEntry(const kmetrics_host_info* host) {       \
    if (host == nullptr || host->abi_major != KMETRICS_ABI_VERSION_MAJOR) {                     \
      return nullptr;                                                                           \
    }                                                                                           \
    static const kmetrics_component* const components[] = {__VA_ARGS__};                       \
    static const kmetrics_plugin_descriptor descriptor = {                                      \
        sizeof(kmetrics_plugin_descriptor), KMETRICS_ABI_VERSION_MAJOR,                         \
        KMETRICS_ABI_VERSION_MINOR,         NAME,                                               \
        VERSION,                            KMETRICS_SDK_BUILD_INFO,                            \
        components,                         sizeof(components) / sizeof(components[0])};        \
    return &descriptor;                                                                         \
  }                                                                                             \
  }                                                                                             \
  BOOST_DLL_ALIAS(kmetricsPluginEntry, kmetrics_plugin_entry_v1)
