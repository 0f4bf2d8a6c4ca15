// The facts the cluster view keeps about nodes and running pods (metrics-server keeps less: it
// watches pods as metadata only; kmetrics also keeps requests/limits for sinks that serve them).
// Objects are immutable once published and shared between snapshots (nodes through
// shared_ptr<const NodeInfo>, pods through PodPtr: pod_info.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/labels.hpp"
#include "cluster/pod_info.hpp"  // PodInfo, ContainerInfo

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

}  // namespace kmetrics::cluster
