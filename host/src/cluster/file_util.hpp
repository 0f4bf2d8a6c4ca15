// Small file helpers for config loading (internal to kmetrics_cluster).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kmetrics::cluster::detail {

// Whole file; throws ConfigLoadError("<what> <path>: <strerror>") on failure. Bounded to 16 MiB.
std::string read_file_or_throw(const std::string& path, const std::string& what);
// Strict standard base64 (whitespace ignored); nullopt on bad input.
std::optional<std::string> base64_decode(std::string_view in);
// `path` if absolute, else dir(base_file)/path.
std::string resolve_relative(const std::string& path, const std::string& base_file);

}  // namespace kmetrics::cluster::detail
