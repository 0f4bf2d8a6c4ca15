// PluginLibrary: one loaded plugin .so (Boost.DLL, rtld_now | rtld_local) and the descriptor its
// entry function returned.
//
// Lifetime rule (DESIGN "The plugin boundary"): every host object that points into a library
// (ComponentFactory, SourceHandle, SinkHandle) holds a std::shared_ptr<PluginLibrary> as its FIRST
// member, so the library is released last. Libraries are also opened with RTLD_NODELETE: even when
// the last reference goes, the code stays mapped until exit (no unloading in v1, W6).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "kmetrics/abi.h"

namespace kmetrics {

class PluginLibrary {
 public:
  // Opens `file`. On failure returns nullptr and sets `error` to the dlopen message.
  static std::shared_ptr<PluginLibrary> open(const std::filesystem::path& file, std::string& error);

  // A "library" for components linked into the executable: no .so, same code path afterwards.
  static std::shared_ptr<PluginLibrary> linked(std::string name);

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // The file it was loaded from ("<linked:name>" for linked ones).
  const std::string& file() const { return file_; }
  bool isLinked() const { return !library_.is_loaded(); }

  // An exported symbol that should be a `const void*` data symbol (the BOOST_DLL_ALIAS convention).
  struct DataSymbol {
    bool present = false;
    bool is_function = false;  // exported as a function: reading it as a pointer would be garbage
    const void* value = nullptr;
  };
  DataSymbol dataSymbol(const char* name) const;

  // Whether the library exports `name` (any kind of symbol).
  bool hasSymbol(const char* name) const;

  // The descriptor, once the registry called the entry function and accepted it.
  const kmetrics_plugin_descriptor* descriptor() const { return descriptor_; }
  void setDescriptor(const kmetrics_plugin_descriptor* d) { descriptor_ = d; }

 private:
  explicit PluginLibrary(std::string file) : file_(std::move(file)) {}

  std::string file_;
  boost::dll::shared_library library_;
  const kmetrics_plugin_descriptor* descriptor_ = nullptr;
};

}  // namespace kmetrics
