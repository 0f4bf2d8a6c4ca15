// Splits argv into flag occurrences with pflag's syntax: --name=value, --name value, bare boolean --name,
// -v=4, -v 4, -v4, -l sel, "--" ends flags. Values are not converted here (see flag_apply).
#pragma once

#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/flag_table.hpp"

namespace kmetrics::config {

struct FlagOccurrence {
  const FlagSpec* spec = nullptr;
  std::string spelled;  // as written: "--v", "-v"
  std::string value;    // "true" for a bare boolean
};

struct ParsedArgs {
  std::vector<FlagOccurrence> flags;
  std::vector<std::string> positional;
  ConfigErrors errors;  // unknown flags, missing arguments, bad syntax
};

// `args` excludes the program name.
ParsedArgs parse_args(const std::vector<std::string>& args);

}  // namespace kmetrics::config
