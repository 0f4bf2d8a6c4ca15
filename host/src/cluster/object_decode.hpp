// Kubernetes JSON (core/v1 Node, Pod) -> NodeInfo / PodInfo (one block, as a PodPtr), read from a
// simdjson DOM (the list page or watch event the reflector parsed: no per-value allocations, only
// the kept fields are copied out; a pod's resourceVersion is type-checked but not kept).
// Lenient like client-go decoding: missing or null optional fields take defaults; a missing
// metadata.name or a wrong JSON type for a field we read is an error (std::runtime_error
// naming the field), and the caller skips the object. Malformed quantities count as "not set".
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "cluster/cluster_types.hpp"

namespace kmetrics::cluster {

NodeInfo decode_node(const simdjson::dom::element& object);
PodPtr decode_pod(const simdjson::dom::element& object);
// status.phase of a pod object ("" when absent or not a string).
std::string_view pod_phase(const simdjson::dom::element& object);
// metadata.resourceVersion ("" when absent or not a string).
std::string_view resource_version_of(const simdjson::dom::element& object);

// The same decoders on JSON text (parsed with a parser of their own; std::runtime_error when the
// text is not valid JSON).
NodeInfo decode_node_json(std::string_view json);
PodPtr decode_pod_json(std::string_view json);

// RFC 3339 ("2023-06-09T06:16:01Z", fractions and offsets accepted) -> Unix ns; nullopt if malformed.
std::optional<int64_t> parse_rfc3339_ns(std::string_view text);

}  // namespace kmetrics::cluster
