// The simulated cluster's objects (nodes, pods, containers) and per-node fault modes.
// Shared by the simulated apiserver (which serves them) and the simulated kubelets (which report
// usage for them). Thread-safe: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster/workload.hpp"

namespace kmetrics::sim {

enum class FaultMode {
  kNone,
  kHang,          // accept the connection, never answer
  kHttp500,       // answer every request with 500
  kGarbage,       // 200 with random bytes
  kTruncated,     // 200 with the payload cut in the middle
  kNaN,           // CPU and memory values NaN / +Inf
  kSlow,          // answer after `slow_delay_ms`
  kSummaryOnly,   // 404 on /metrics/resource, Summary API works (pre-1.18 style kubelet)
};

const char* faultModeName(FaultMode m);
std::optional<FaultMode> parseFaultMode(const std::string& name);

struct Container {
  std::string name;
  UnixNanos start_time = 0;
  uint32_t restart_count = 0;
  ContainerWorkload workload;
  uint64_t cpu_request_millicores = 0, cpu_limit_millicores = 0;
  uint64_t memory_request_bytes = 0, memory_limit_bytes = 0;
};

struct Pod {
  std::string ns;
  std::string name;
  std::string uid;
  std::string node_name;
  std::map<std::string, std::string> labels;
  std::string phase = "Running";
  UnixNanos creation_time = 0;
  std::vector<Container> containers;
  uint64_t resource_version = 0;
};

struct Node {
  std::string name;
  std::string internal_ip;  // 127.0.x.y: the kubelet listens here on kubelet_port
  uint16_t kubelet_port = 10250;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  UnixNanos creation_time = 0;
  UnixNanos boot_time = 0;
  uint64_t memory_base_bytes = 512ull * 1024 * 1024;  // system usage outside pods
  uint64_t cpu_base_millicores = 50;
  FaultMode fault = FaultMode::kNone;
  uint32_t slow_delay_ms = 0;
  uint64_t resource_version = 0;
};

struct ClusterSpec {
  int nodes = 3;
  int pods_per_node = 5;
  int containers_per_pod = 1;   // some pods get one more container (sidecars) when > 0
  std::vector<std::string> namespaces = {"default", "kube-system", "team-a"};
  uint16_t kubelet_port = 10250;
  uint8_t address_base = 0;     // nodes get 127.<1 + base + i/250>.<i%250+1>... see makeCluster
};

// Change events for watchers (apiserver watch streams, kubelets).
struct ChangeEvent {
  enum class Type { kAdded, kModified, kDeleted } type;
  enum class Kind { kNode, kPod } kind;
  std::string key;  // node name or "ns/name"
  uint64_t resource_version;
  // The object after the change (added/modified) or as it was when deleted, so watchers need not
  // read back (which races with later changes) and still know what a deleted object looked like.
  std::shared_ptr<const Node> node;
  std::shared_ptr<const Pod> pod;
};

// Every object plus the resourceVersion they were read at, taken under one lock.
struct ClusterSnapshot {
  std::vector<Node> nodes;
  std::vector<Pod> pods;
  uint64_t resource_version = 0;
};

class ClusterState {
 public:
  explicit ClusterState(UnixNanos now);

  // Builds a deterministic cluster from `spec`; pods start at `now - 1h` unless stated otherwise.
  void populate(const ClusterSpec& spec, UnixNanos now);

  std::vector<Node> nodes() const;
  std::optional<Node> node(const std::string& name) const;
  std::vector<Pod> pods() const;
  std::vector<Pod> podsOnNode(const std::string& node) const;
  std::optional<Pod> pod(const std::string& ns, const std::string& name) const;
  uint64_t resourceVersion() const;
  ClusterSnapshot snapshot() const;

  void addNode(Node n);
  bool removeNode(const std::string& name);  // also removes its pods
  void addPod(Pod p);
  bool removePod(const std::string& ns, const std::string& name);
  // Restarts a container: new start time = now, cumulative CPU resets to 0, restart_count + 1.
  bool restartContainer(const std::string& ns, const std::string& pod, const std::string& container,
                        UnixNanos now);
  bool setFault(const std::string& node, FaultMode mode, uint32_t slow_delay_ms = 0);

  // Returns a subscription id; the callback runs on the mutating thread outside the lock. Events from
  // concurrent mutations may arrive out of order: resource versions are contiguous, so sort by them.
  uint64_t subscribe(std::function<void(const ChangeEvent&)> cb);
  void unsubscribe(uint64_t id);

 private:
  void notify(const ChangeEvent& e);

  mutable std::mutex mu_;
  uint64_t rv_ = 1;
  std::map<std::string, Node> nodes_;
  std::map<std::string, Pod> pods_;  // key "ns/name"
  std::map<uint64_t, std::function<void(const ChangeEvent&)>> subscribers_;
  uint64_t next_sub_ = 1;
};

// Loopback address for node index i (0-based): 127.0.x.y style, never 127.0.0.1.
std::string nodeAddress(int index);

}  // namespace kmetrics::sim
