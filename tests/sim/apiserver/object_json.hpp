// Kubernetes JSON shapes for the simulated objects: Node, Pod, PartialObjectMetadata, Table rows,
// quantities and timestamps. Written from the API reference, independent of kmetrics' decoders.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "cluster/cluster_state.hpp"

namespace kmetrics::sim {

using Json = nlohmann::ordered_json;

// What the simulated apiserver claims to be; kubelets report the same version.
inline constexpr const char* kKubeVersion = "v1.33.1";

// Node capacity the sim advertises (allocatable is capacity minus system reservations); kubectl top
// computes CPU%/MEMORY% against allocatable.
inline constexpr uint64_t kNodeCapacityMillicores = 4000;
inline constexpr uint64_t kNodeAllocatableMillicores = 3920;
inline constexpr uint64_t kNodeCapacityBytes = 8ull << 30;
inline constexpr uint64_t kNodeAllocatableBytes = 7ull << 30;

std::string rfc3339(UnixNanos t);
std::string cpuQuantity(uint64_t millicores);     // "100m", "2"
std::string memoryQuantity(uint64_t bytes);       // BinarySI canonical: "64Mi", "1000000"
std::string humanAge(UnixNanos created, UnixNanos now);  // kubectl-style "5d", "3h12m", "45s"

Json nodeJson(const Node& n);
Json podJson(const Pod& p);
Json metadataJson(const Node& n);
Json metadataJson(const Pod& p);
Json partialObjectMetadata(Json metadata);  // wraps into kind PartialObjectMetadata

// Tables as `kubectl get` requests them (Accept ...;as=Table;g=meta.k8s.io;v=v1).
Json nodeTableColumns();
Json nodeTableCells(const Node& n, UnixNanos now);
Json podTableColumns();
Json podTableCells(const Pod& p, UnixNanos now);

// The value of a field selector field for an object ("" when unknown).
std::string nodeField(const Node& n, const std::string& field);
std::string podField(const Pod& p, const std::string& field);

}  // namespace kmetrics::sim
