#include "loader/plugin_registry.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <system_error>

#include "loader/descriptor_check.hpp"
#include "loader/plugin_library.hpp"

namespace kmetrics {
namespace {

constexpr std::string_view kEntryPrefix = "kmetrics_plugin_entry_v";
constexpr int kMaxProbedMajor = 64;  // entry symbols of other majors we recognise in messages
constexpr std::string_view kFilePrefix = "libkmetrics_";
constexpr std::string_view kFileSuffix = ".so";

const std::string kHostMajor = std::to_string(KMETRICS_ABI_VERSION_MAJOR);

bool isPluginFileName(const std::string& name) {
  return name.size() > kFilePrefix.size() + kFileSuffix.size() &&
         name.compare(0, kFilePrefix.size(), kFilePrefix) == 0 &&
         name.compare(name.size() - kFileSuffix.size(), kFileSuffix.size(), kFileSuffix) == 0;
}

std::string orEmpty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// The canonical form of `p` when it exists, else its absolute normal form.
std::string canonicalKey(const std::filesystem::path& p) {
  std::error_code ec;
  auto c = std::filesystem::canonical(p, ec);
  if (ec) {
    c = std::filesystem::absolute(p, ec).lexically_normal();
  }
  return c.string();
}

}  // namespace

PluginRegistry::PluginRegistry(std::string host_version) : host_version_(std::move(host_version)) {}

bool PluginRegistry::fail(const std::string& file, std::string reason) {
  errors_.push_back({file, std::move(reason)});
  return false;
}

void PluginRegistry::loadSearchPath(const std::vector<std::filesystem::path>& dirs, bool required) {
  for (const auto& dir : dirs) {
    loadDirectory(dir, required);
  }
}

void PluginRegistry::loadDirectory(const std::filesystem::path& dir, bool required) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (required) {
      fail(dir.string(), "plugin directory does not exist or is not a directory");
    }
    return;
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (isPluginFileName(name) && !it->is_directory()) {
      files.push_back(it->path());
    }
  }
  if (ec) {
    fail(dir.string(), "cannot list plugin directory: " + ec.message());
  }
  std::sort(files.begin(), files.end());  // deterministic: the same file wins a duplicate type
  for (const auto& f : files) {
    loadFile(f);
  }
}

bool PluginRegistry::loadFile(const std::filesystem::path& file) {
  const std::string key = canonicalKey(file);
  if (!loaded_files_.insert(key).second) {
    // Reached again through another search directory: already registered or already reported.
    return std::any_of(plugins_.begin(), plugins_.end(),
                       [&](const LoadedPlugin& p) { return p.file == key; });
  }
  std::string error;
  auto library = PluginLibrary::open(key, error);
  if (!library) {
    return fail(key, "cannot load library: " + error);
  }
  kmetrics_plugin_entry_fn entry = findEntry(*library);
  if (entry == nullptr) {
    return false;
  }
  return registerLibrary(library, entry);
}

bool PluginRegistry::addLinked(const std::string& name, kmetrics_plugin_entry_fn entry) {
  auto library = PluginLibrary::linked(name);
  if (entry == nullptr) {
    return fail(library->file(), "entry function is NULL");
  }
  return registerLibrary(library, entry);
}

kmetrics_plugin_entry_fn PluginRegistry::findEntry(const PluginLibrary& library) {
  const auto sym = library.dataSymbol(KMETRICS_PLUGIN_ENTRY_SYMBOL);
  if (sym.is_function) {
    fail(library.file(), std::string("entry symbol ") + KMETRICS_PLUGIN_ENTRY_SYMBOL +
                             " is a function; it must be a `const void*` data symbol holding the "
                             "entry function's address (use KMETRICS_PLUGIN or BOOST_DLL_ALIAS)");
    return nullptr;
  }
  if (sym.present && sym.value == nullptr) {
    fail(library.file(), std::string("entry symbol ") + KMETRICS_PLUGIN_ENTRY_SYMBOL + " is NULL");
    return nullptr;
  }
  if (sym.present) {
    return reinterpret_cast<kmetrics_plugin_entry_fn>(const_cast<void*>(sym.value));
  }
  // No v1 entry: say which major the library was built for, if it exports another one. Probing
  // by name is cheap and, unlike parsing the ELF file, independent of section layout.
  for (int major = 0; major <= kMaxProbedMajor; ++major) {
    const std::string other = std::string(kEntryPrefix) + std::to_string(major);
    if (major != KMETRICS_ABI_VERSION_MAJOR && library.hasSymbol(other.c_str())) {
      fail(library.file(), "built for ABI major " + std::to_string(major) + ", host speaks " +
                               kHostMajor + " (exports " + other + ", not " +
                               KMETRICS_PLUGIN_ENTRY_SYMBOL + ")");
      return nullptr;
    }
  }
  fail(library.file(), std::string("no entry symbol ") + KMETRICS_PLUGIN_ENTRY_SYMBOL +
                           " (not a kmetrics plugin, or built without KMETRICS_PLUGIN)");
  return nullptr;
}

bool PluginRegistry::registerLibrary(const std::shared_ptr<PluginLibrary>& library,
                                     kmetrics_plugin_entry_fn entry) {
  const std::string& file = library->file();
  const kmetrics_host_info info{sizeof(kmetrics_host_info), KMETRICS_ABI_VERSION_MAJOR,
                                KMETRICS_ABI_VERSION_MINOR,
                                {host_version_.data(), host_version_.size()}};
  const kmetrics_plugin_descriptor* d = nullptr;
  try {
    d = entry(&info);
  } catch (const std::exception& e) {
    return fail(file, std::string("entry function threw an exception: ") + e.what());
  } catch (...) {
    return fail(file, "entry function threw a non-standard exception");
  }
  if (d == nullptr) {
    return fail(file, "entry function returned no descriptor (the plugin refused host ABI " +
                          kHostMajor + "." + std::to_string(KMETRICS_ABI_VERSION_MINOR) + ")");
  }
  if (auto problem = checkDescriptor(*d)) {
    return fail(file, *problem);
  }

  // Check every component before registering any of them.
  std::vector<std::string> problems;
  std::set<std::string> seen;
  for (size_t i = 0; i < d->component_count; ++i) {
    const kmetrics_component* c = d->components[i];
    auto found = checkComponent(i, c);
    if (!found.empty()) {
      problems.insert(problems.end(), found.begin(), found.end());
      continue;
    }
    const std::string type = c->type;
    if (!seen.insert(type).second) {
      problems.push_back("component type \"" + type + "\" is declared twice in this library");
    } else if (auto it = factories_.find(type); it != factories_.end()) {
      problems.push_back("component type \"" + type + "\" is already registered by " +
                         it->second.file() + "; this library is refused");
    }
  }
  if (!problems.empty()) {
    for (auto& p : problems) {
      fail(file, std::move(p));
    }
    return false;
  }

  LoadedPlugin loaded{file,          orEmpty(d->name), orEmpty(d->version), orEmpty(d->build_info),
                      d->abi_major, d->abi_minor,     {}};
  library->setDescriptor(d);
  for (size_t i = 0; i < d->component_count; ++i) {
    const kmetrics_component* c = d->components[i];
    factories_.emplace(c->type, ComponentFactory(library, c));
    loaded.types.emplace_back(c->type);
  }
  plugins_.push_back(std::move(loaded));
  return true;
}

const ComponentFactory* PluginRegistry::find(std::string_view type) const {
  auto it = factories_.find(type);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> PluginRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [type, factory] : factories_) {
    out.push_back(type);
  }
  return out;
}

}  // namespace kmetrics
