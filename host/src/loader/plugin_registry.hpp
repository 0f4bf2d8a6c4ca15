// PluginRegistry: loads plugin libraries and maps each component type to its factory.
//
// Every problem is a LoadError naming the file and the reason; loading goes on with the other
// libraries. A library is all-or-nothing: it is registered only if its descriptor and every one of
// its components pass, so the config never sees half a library. The first library to register a
// type keeps it; a later one declaring the same type is refused (the error names both files).
// Libraries are never unloaded (see plugin_library.hpp).
//
//   PluginRegistry registry;
//   registry.loadSearchPath(defaultPluginDirs(), /*required=*/false);
//   registry.loadSearchPath(config.plugin_dirs, /*required=*/true);
//   for (const auto& e : registry.errors()) log.error("plugin refused: {}", e.toString());
//   for (const auto& p : registry.plugins()) log.info("plugin {} {} ({})", p.name, p.version, p.build_info);
//   const ComponentFactory* f = registry.find("kubelet");
//   auto created = f->createSource({"primary", config_json, &host_api, ctx});
//
// THREADING: load from one thread at startup; afterwards find/types/plugins are read-only and safe
// from any thread.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kmetrics/abi.h"
#include "loader/component_factory.hpp"
#include "loader/load_error.hpp"

namespace kmetrics {

class PluginLibrary;

// One accepted library, for listings and the startup log.
struct LoadedPlugin {
  std::string file;
  std::string name;
  std::string version;
  std::string build_info;  // compiler, standard library, SDK ABI, build type
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  std::vector<std::string> types;
};

class PluginRegistry {
 public:
  // `host_version` is passed to every entry function in kmetrics_host_info.
  explicit PluginRegistry(std::string host_version = KMETRICS_HOST_VERSION);
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Loads every regular file named libkmetrics_*.so in `dir`, in name order. A missing or
  // unreadable directory is an error only when `required` (config- or flag-provided directories).
  void loadDirectory(const std::filesystem::path& dir, bool required);
  void loadSearchPath(const std::vector<std::filesystem::path>& dirs, bool required);
  // Loads one library file. Returns true when it is (or already was) registered.
  bool loadFile(const std::filesystem::path& file);
  // Registers a library linked into the executable, through the same checks.
  bool addLinked(const std::string& name, kmetrics_plugin_entry_fn entry);

  // The factory for `type`, or nullptr.
  const ComponentFactory* find(std::string_view type) const;
  // Every registered type, sorted.
  std::vector<std::string> types() const;
  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  // Every refusal so far, in load order.
  const std::vector<LoadError>& errors() const { return errors_; }

 private:
  bool fail(const std::string& file, std::string reason);
  // Calls the entry function and registers the descriptor's components, all or none.
  bool registerLibrary(const std::shared_ptr<PluginLibrary>& library, kmetrics_plugin_entry_fn entry);
  // Finds the v1 entry function; on failure records why and returns nullptr.
  kmetrics_plugin_entry_fn findEntry(const PluginLibrary& library);

  std::string host_version_;
  std::map<std::string, ComponentFactory, std::less<>> factories_;
  std::set<std::string> loaded_files_;  // canonical paths, so overlapping search dirs load once
  std::vector<LoadedPlugin> plugins_;
  std::vector<LoadError> errors_;
};

}  // namespace kmetrics
