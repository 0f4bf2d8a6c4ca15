// Entry point for the app: command line (+ the --config file) → HostConfig, or every error at once.
//
//   auto r = kmetrics::config::load_config(argc, argv);
//   if (r.help_requested) { std::cout << kmetrics::config::help_text(); return 0; }
//   if (r.version_requested) { print version; return 0; }
//   for (auto& n : r.notices) log_info(n);
//   if (!r.ok()) { for (auto& e : r.errors) std::cerr << e.to_string() << "\n"; return 1; }
//
// Order: defaults → config file → flags (flags override the file) → default plugin instances →
// validation. Never throws for bad input; exceptions stay inside this library.
#pragma once

#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/host_config.hpp"
#include "config/provenance.hpp"

namespace kmetrics::config {

struct LoadResult {
  HostConfig config;
  ConfigErrors errors;                // empty = config is usable
  std::vector<std::string> notices;   // accepted-but-ineffective flags and warnings; log them at info level
  bool help_requested = false;        // -h/--help: print help_text() and exit 0; nothing else was loaded
  bool version_requested = false;     // --version: print the version and exit 0; nothing else was loaded
  std::string config_file;            // from --config; "" when none
  Provenance provenance;              // where each value came from (file line, flag, or default)

  bool ok() const { return errors.empty(); }
};

// `args` excludes the program name.
LoadResult load_config(const std::vector<std::string>& args);
LoadResult load_config(int argc, const char* const* argv);

// `kmetrics validate [--config FILE] [flags]`: `args` are the words after "validate". Same rules as a
// real start; returns every error (empty = valid). The app prints one per line and exits non-zero.
ConfigErrors validate_command(const std::vector<std::string>& args);

// One error per line, as the app prints them.
std::string format_errors(const ConfigErrors& errors);

}  // namespace kmetrics::config
