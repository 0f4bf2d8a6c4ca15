// Small syntax checks used by decoding and validation, written by hand instead of std::regex (cheaper,
// and GCC 12's <regex> trips -Wmaybe-uninitialized under the sanitizers).
#pragma once

#include <string_view>

namespace kmetrics::config {

// YAML 1.2 core schema: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
bool is_yaml_int(std::string_view s);
// YAML 1.2 core schema floats, including .inf / .nan spellings.
bool is_yaml_float(std::string_view s);
// Plugin type: [a-z][a-z0-9_]*
bool is_plugin_type(std::string_view s);
// Instance name: [a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?
bool is_instance_name(std::string_view s);
// Label name / value body: [A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?  (values may also be empty)
bool is_label_name(std::string_view s);
// DNS subdomain (label-key prefix): dot-separated [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 253 chars.
bool is_dns_subdomain(std::string_view s);
// Kubernetes quantity: number then optional suffix (Ki..Ei, n u m k M G T P E, or an exponent).
// Sets is_zero when the number is zero.
bool is_quantity(std::string_view s, bool& is_zero);

}  // namespace kmetrics::config
