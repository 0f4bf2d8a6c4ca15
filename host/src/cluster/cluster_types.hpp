// The facts the cluster view keeps about nodes and running pods (metrics-server keeps less: it
// watches pods as metadata only; kmetrics also keeps requests/limits for sinks that serve them).
// Objects are immutable once published and shared between snapshots through shared_ptr<const ...>.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/labels.hpp"

namespace kmetrics::cluster {

struct NodeAddress {
  std::string type;  // "InternalIP", "ExternalIP", "Hostname", "InternalDNS", "ExternalDNS"
  std::string address;
};

struct NodeInfo {
  std::string name;
  Labels labels;
  Labels annotations;
  std::vector<NodeAddress> addresses;  // in status order: the address resolver's priority relies on it
  int32_t kubelet_port = 0;            // status.daemonEndpoints.kubeletEndpoint.Port, 0 if unknown
  bool ready = false;                  // condition Ready == "True"
  int64_t creation_unix_ns = 0;
  std::string resource_version;
};

// Requests and limits of one container; 0 means "not set".
struct ContainerInfo {
  std::string name;
  int64_t cpu_request_millicores = 0;
  int64_t cpu_limit_millicores = 0;
  int64_t memory_request_bytes = 0;
  int64_t memory_limit_bytes = 0;
};

struct PodInfo {
  std::string namespace_name;
  std::string name;
  std::string node_name;
  Labels labels;
  int64_t creation_unix_ns = 0;
  std::vector<ContainerInfo> containers;  // spec.containers, in spec order
  std::string resource_version;
};

}  // namespace kmetrics::cluster
