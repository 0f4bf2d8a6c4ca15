// The kmetrics subcommands other than serving: plugins list|describe, validate, version.
#pragma once

#include <string>
#include <vector>

namespace kmetrics {

// Each returns the process exit code; output goes to stdout, errors to stderr.
int pluginsCommand(const std::vector<std::string>& args);
int validateCommand(const std::vector<std::string>& args);
int versionCommand();

}  // namespace kmetrics
