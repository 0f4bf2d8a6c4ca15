// Kubernetes JSON (core/v1 Node, Pod) -> NodeInfo / PodInfo. Lenient like client-go decoding:
// missing optional fields take defaults; a missing metadata.name or a wrong JSON type for a field
// we read is an error (std::runtime_error naming the field), and the caller skips the object.
// Malformed quantities count as "not set". Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cluster/cluster_types.hpp"

namespace kmetrics::cluster {

NodeInfo decode_node(const nlohmann::json& object);
PodInfo decode_pod(const nlohmann::json& object);
// status.phase of a pod object ("" when absent).
std::string pod_phase(const nlohmann::json& object);
// metadata.resourceVersion ("" when absent).
std::string resource_version_of(const nlohmann::json& object);
// RFC 3339 ("2023-06-09T06:16:01Z", fractions and offsets accepted) -> Unix ns; nullopt if malformed.
std::optional<int64_t> parse_rfc3339_ns(std::string_view text);

}  // namespace kmetrics::cluster
