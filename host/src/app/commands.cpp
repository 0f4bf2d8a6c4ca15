#include "app/commands.hpp"

#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "config/load.hpp"
#include "loader/plugin_dirs.hpp"
#include "loader/plugin_registry.hpp"

namespace kmetrics {
namespace {

constexpr const char* kPluginsUsage =
    "usage: kmetrics plugins list [--plugin-dir DIR]...\n"
    "       kmetrics plugins describe TYPE [--plugin-dir DIR]...\n";

// Loads the default directories plus every --plugin-dir; reports refusals on stderr.
bool loadRegistry(const std::vector<std::string>& args, size_t first, PluginRegistry& registry,
                  std::vector<std::string>& positional) {
  std::vector<std::filesystem::path> dirs;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--plugin-dir" && i + 1 < args.size()) {
      dirs.emplace_back(args[++i]);
    } else if (a.rfind("--plugin-dir=", 0) == 0) {
      dirs.emplace_back(a.substr(13));
    } else if (a.rfind("-", 0) == 0) {
      std::cerr << "kmetrics plugins: unknown flag " << a << "\n" << kPluginsUsage;
      return false;
    } else {
      positional.push_back(a);
    }
  }
  registry.loadSearchPath(defaultPluginDirs(), false);
  registry.loadSearchPath(dirs, true);
  for (const auto& e : registry.errors()) std::cerr << "plugin refused: " << e.toString() << "\n";
  return true;
}

int list(const PluginRegistry& registry) {
  std::cout << std::left << std::setw(22) << "TYPE" << std::setw(8) << "KIND" << std::setw(10) << "VERSION"
            << std::setw(12) << "STABILITY" << std::setw(6) << "ABI" << "LIBRARY\n";
  for (const auto& type : registry.types()) {
    const ComponentFactory* f = registry.find(type);
    const auto& c = f->component();
    const char* kind = f->isSource() ? "source" : "sink";
    std::string abi;
    for (const auto& p : registry.plugins()) {
      if (p.file == f->file()) abi = std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor);
    }
    std::cout << std::setw(22) << type << std::setw(8) << kind << std::setw(10) << f->version() << std::setw(12)
              << f->stability() << std::setw(6) << abi << f->file() << "\n";
    (void)c;
  }
  return registry.errors().empty() ? 0 : 1;
}

int describe(const PluginRegistry& registry, const std::string& type) {
  const ComponentFactory* f = registry.find(type);
  if (f == nullptr) {
    std::cerr << "kmetrics plugins describe: unknown type \"" << type << "\"\n";
    return 1;
  }
  const bool source = f->isSource();
  const uint32_t mode = f->component().scope_or_mode;
  std::cout << "type:        " << type << "\n"
            << "kind:        " << (source ? "source" : "sink") << " ("
            << (source ? (mode == KMETRICS_SCOPE_PER_NODE ? "per node" : "cluster") : (mode == KMETRICS_SINK_PUSH ? "push" : "query"))
            << ")\n"
            << "version:     " << f->version() << "\n"
            << "stability:   " << f->stability() << "\n"
            << "library:     " << f->file() << "\n"
            << "description: " << f->description() << "\n\n";
  auto pretty = [](std::string_view json) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    return j.is_discarded() ? std::string(json) : j.dump(2);
  };
  std::cout << "example config:\n" << pretty(f->exampleConfigJson()) << "\n\nconfig schema:\n"
            << pretty(f->configSchemaJson()) << "\n";
  return 0;
}

}  // namespace

int pluginsCommand(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "list" && args[0] != "describe")) {
    std::cerr << kPluginsUsage;
    return 2;
  }
  PluginRegistry registry;
  std::vector<std::string> positional;
  if (!loadRegistry(args, 1, registry, positional)) return 2;
  if (args[0] == "list") {
    if (!positional.empty()) {
      std::cerr << kPluginsUsage;
      return 2;
    }
    return list(registry);
  }
  if (positional.size() != 1) {
    std::cerr << kPluginsUsage;
    return 2;
  }
  return describe(registry, positional[0]);
}

int validateCommand(const std::vector<std::string>& args) {
  const auto errors = config::validate_command(args);
  if (errors.empty()) {
    std::cout << "config is valid\n";
    return 0;
  }
  std::cerr << config::format_errors(errors);
  std::cerr << errors.size() << (errors.size() == 1 ? " error\n" : " errors\n");
  return 1;
}

int versionCommand() {
  std::cout << "kmetrics v" << KMETRICS_HOST_VERSION << " (plugin ABI " << KMETRICS_ABI_VERSION_MAJOR << "."
            << KMETRICS_ABI_VERSION_MINOR << ")\n";
  return 0;
}

}  // namespace kmetrics
