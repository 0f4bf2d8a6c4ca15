// Decodes a kmetrics config document (YAML or JSON) into HostConfig, strictly: unknown keys, wrong types
// and malformed YAML are errors with path and line/column. Fields absent from the file keep their value.
#pragma once

#include <string>
#include <string_view>

#include "config/config_error.hpp"
#include "config/host_config.hpp"
#include "config/provenance.hpp"

namespace kmetrics::config {

// `file_name` is used in error locations only.
void decode_config_text(std::string_view text, const std::string& file_name, HostConfig& cfg, Provenance& prov,
                        ConfigErrors& errors);

// Reads the file; an unreadable file is one error naming it.
void decode_config_file(const std::string& path, HostConfig& cfg, Provenance& prov, ConfigErrors& errors);

}  // namespace kmetrics::config
