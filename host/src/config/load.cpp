#include "config/load.hpp"

#include "config/file_decoder.hpp"
#include "config/flag_apply.hpp"
#include "config/flag_parser.hpp"
#include "config/plugin_instances.hpp"
#include "config/validate.hpp"

namespace kmetrics::config {

LoadResult load_config(const std::vector<std::string>& args) {
  LoadResult r;
  ParsedArgs parsed = parse_args(args);
  r.errors = parsed.errors;
  for (const auto& p : parsed.positional) {
    r.errors.push_back(ConfigError{"", "unexpected argument \"" + p + "\" (kmetrics takes only flags)", {}});
  }
  FlagActions actions = flag_actions(parsed);
  r.help_requested = actions.help;
  r.version_requested = actions.version;
  r.config_file = actions.config_file;
  if (r.help_requested || r.version_requested) return r;

  try {
    if (!r.config_file.empty()) decode_config_file(r.config_file, r.config, r.provenance, r.errors);
    apply_flags(parsed, r.config, r.provenance, r.errors, r.notices);
    resolve_plugin_instances(r.config, r.provenance);
    validate_config(r.config, r.provenance, r.errors, r.notices);
  } catch (const std::exception& e) {
    // Only a bug can get here (bad_alloc, a library surprise); still report it as a config error.
    r.errors.push_back(ConfigError{"", std::string("internal error while loading the configuration: ") + e.what(), {}});
  }
  return r;
}

LoadResult load_config(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return load_config(args);
}

ConfigErrors validate_command(const std::vector<std::string>& args) {
  LoadResult r = load_config(args);
  if (r.help_requested || r.version_requested) {
    r.errors.push_back(ConfigError{"", "validate takes no --help or --version", {}});
  }
  return r.errors;
}

std::string format_errors(const ConfigErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

}  // namespace kmetrics::config
