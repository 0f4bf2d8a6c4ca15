// The effective configuration in the config file's own shape (durations as Go strings), for logging
// at startup or printing by `kmetrics validate`. Decoding its dump gives the same configuration back.
#pragma once

#include <nlohmann/json.hpp>

#include "config/host_config.hpp"

namespace kmetrics::config {

nlohmann::json to_json(const HostConfig& cfg);

}  // namespace kmetrics::config
