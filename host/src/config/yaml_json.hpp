// YAML → JSON for the opaque plugin `config:` sections, with YAML 1.2 core-schema typing of plain scalars
// ("10" is a number, "true" a bool, "~" null, quoted text always a string).
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "config/config_error.hpp"

namespace kmetrics::config {

// Location of a YAML node in `file` (1-based; 0 when yaml-cpp has no mark).
Location location_of(const YAML::Node& node, const std::string& file);

enum class ScalarType { null, boolean, integer, floating, string };

// Resolves a scalar node's type: explicit tags (!!str, !!int, ...), quoting, then the core schema.
ScalarType scalar_type(const YAML::Node& node);

// Converts a subtree. Problems (non-string keys, NaN/Inf, bad tags, integers out of range) are appended
// to `errors` with paths under `path`; the offending value becomes null.
nlohmann::json yaml_to_json(const YAML::Node& node, const std::string& path, const std::string& file,
                            ConfigErrors& errors);

}  // namespace kmetrics::config
