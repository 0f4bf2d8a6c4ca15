// Applies parsed flags on top of the config (flags override the file) according to each flag's policy:
// implemented → HostConfig field; no_op → notice; refused → error unless left at its default.
#pragma once

#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/flag_parser.hpp"
#include "config/host_config.hpp"
#include "config/provenance.hpp"

namespace kmetrics::config {

// Flags that are actions rather than settings; read before the config file is loaded.
struct FlagActions {
  bool help = false;
  bool version = false;
  std::string config_file;  // --config; "" when not given
};

FlagActions flag_actions(const ParsedArgs& args);

// Converts and applies every flag. Bad values and refused flags go to `errors`; flags accepted without
// effect add a line to `notices` (the app logs them).
void apply_flags(const ParsedArgs& args, HostConfig& cfg, Provenance& prov, ConfigErrors& errors,
                 std::vector<std::string>& notices);

}  // namespace kmetrics::config
