#include "cluster/cluster_state.hpp"

#include <utility>

namespace kmetrics::sim {
namespace {

constexpr UnixNanos kSecond = 1'000'000'000;

std::string podKey(const std::string& ns, const std::string& name) { return ns + "/" + name; }

Container makeContainer(const std::string& ns, const std::string& pod, const std::string& name,
                        UnixNanos start) {
  Container c;
  c.name = name;
  c.start_time = start;
  c.workload = workloadFor(ns + "/" + pod + "/" + name);
  c.cpu_request_millicores = 100;
  c.cpu_limit_millicores = 1000;
  c.memory_request_bytes = 64ull * 1024 * 1024;
  c.memory_limit_bytes = 1024ull * 1024 * 1024;
  return c;
}

}  // namespace

const char* faultModeName(FaultMode m) {
  switch (m) {
    case FaultMode::kNone: return "none";
    case FaultMode::kHang: return "hang";
    case FaultMode::kHttp500: return "http500";
    case FaultMode::kGarbage: return "garbage";
    case FaultMode::kTruncated: return "truncated";
    case FaultMode::kNaN: return "nan";
    case FaultMode::kSlow: return "slow";
    case FaultMode::kSummaryOnly: return "summary-only";
  }
  return "unknown";
}

std::optional<FaultMode> parseFaultMode(const std::string& name) {
  for (FaultMode m : {FaultMode::kNone, FaultMode::kHang, FaultMode::kHttp500, FaultMode::kGarbage,
                      FaultMode::kTruncated, FaultMode::kNaN, FaultMode::kSlow,
                      FaultMode::kSummaryOnly}) {
    if (name == faultModeName(m)) {
      return m;
    }
  }
  return std::nullopt;
}

std::string nodeAddress(int index) {
  // 127.0.0.1 is left to the apiserver and kmetrics; nodes use 127.1.0.1 upward, 250 per /24.
  const int third = index / 250;
  const int fourth = index % 250 + 1;
  return "127." + std::to_string(1 + third / 256) + "." + std::to_string(third % 256) + "." +
         std::to_string(fourth);
}

ClusterState::ClusterState(UnixNanos) {}

void ClusterState::populate(const ClusterSpec& spec, UnixNanos now) {
  const UnixNanos started = now - 3600 * kSecond;
  for (int i = 0; i < spec.nodes; ++i) {
    Node n;
    n.name = "node-" + std::to_string(i);
    n.internal_ip = nodeAddress(i + spec.address_base);
    n.kubelet_port = spec.kubelet_port;
    n.labels = {{"kubernetes.io/hostname", n.name},
                {"kubernetes.io/os", "linux"},
                {"node-role.kubernetes.io/worker", ""},
                {"topology.kubernetes.io/zone", "zone-" + std::to_string(i % 3)}};
    n.creation_time = started - 3600 * kSecond;
    n.boot_time = n.creation_time;
    addNode(n);
    for (int p = 0; p < spec.pods_per_node; ++p) {
      Pod pod;
      pod.ns = spec.namespaces[static_cast<size_t>(p) % spec.namespaces.size()];
      const std::string app = "app-" + std::to_string(p % 4);
      pod.name = app + "-" + n.name + "-" + std::to_string(p);
      pod.uid = "uid-" + std::to_string(i) + "-" + std::to_string(p);
      pod.node_name = n.name;
      pod.labels = {{"app", app}, {"tier", p % 2 == 0 ? "frontend" : "backend"}};
      pod.creation_time = started;
      const int containers = spec.containers_per_pod + (p % 5 == 4 ? 1 : 0);
      for (int c = 0; c < containers; ++c) {
        pod.containers.push_back(
            makeContainer(pod.ns, pod.name, c == 0 ? "main" : "sidecar-" + std::to_string(c), started));
      }
      addPod(std::move(pod));
    }
  }
}

std::vector<Node> ClusterState::nodes() const {
  std::lock_guard lock(mu_);
  std::vector<Node> out;
  out.reserve(nodes_.size());
  for (const auto& [_, n] : nodes_) {
    out.push_back(n);
  }
  return out;
}

std::optional<Node> ClusterState::node(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(name);
  if (it == nodes_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<Pod> ClusterState::pods() const {
  std::lock_guard lock(mu_);
  std::vector<Pod> out;
  out.reserve(pods_.size());
  for (const auto& [_, p] : pods_) {
    out.push_back(p);
  }
  return out;
}

std::vector<Pod> ClusterState::podsOnNode(const std::string& node) const {
  std::lock_guard lock(mu_);
  std::vector<Pod> out;
  for (const auto& [_, p] : pods_) {
    if (p.node_name == node) {
      out.push_back(p);
    }
  }
  return out;
}

std::optional<Pod> ClusterState::pod(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = pods_.find(podKey(ns, name));
  if (it == pods_.end()) {
    return std::nullopt;
  }
  return it->second;
}

uint64_t ClusterState::resourceVersion() const {
  std::lock_guard lock(mu_);
  return rv_;
}

ClusterSnapshot ClusterState::snapshot() const {
  std::lock_guard lock(mu_);
  ClusterSnapshot s;
  s.resource_version = rv_;
  for (const auto& [_, n] : nodes_) {
    s.nodes.push_back(n);
  }
  for (const auto& [_, p] : pods_) {
    s.pods.push_back(p);
  }
  return s;
}

void ClusterState::addNode(Node n) {
  ChangeEvent e{ChangeEvent::Type::kAdded, ChangeEvent::Kind::kNode, n.name, 0, nullptr, nullptr};
  {
    std::lock_guard lock(mu_);
    n.resource_version = e.resource_version = ++rv_;
    if (nodes_.count(n.name) != 0) {
      e.type = ChangeEvent::Type::kModified;
    }
    e.node = std::make_shared<const Node>(n);
    nodes_[n.name] = std::move(n);
  }
  notify(e);
}

bool ClusterState::removeNode(const std::string& name) {
  std::vector<ChangeEvent> events;
  {
    std::lock_guard lock(mu_);
    auto node_it = nodes_.find(name);
    if (node_it == nodes_.end()) {
      return false;
    }
    auto gone_node = std::make_shared<const Node>(node_it->second);
    nodes_.erase(node_it);
    for (auto it = pods_.begin(); it != pods_.end();) {
      if (it->second.node_name == name) {
        events.push_back({ChangeEvent::Type::kDeleted, ChangeEvent::Kind::kPod, it->first, ++rv_, nullptr,
                          std::make_shared<const Pod>(it->second)});
        it = pods_.erase(it);
      } else {
        ++it;
      }
    }
    events.push_back({ChangeEvent::Type::kDeleted, ChangeEvent::Kind::kNode, name, ++rv_, gone_node, nullptr});
  }
  for (const auto& e : events) {
    notify(e);
  }
  return true;
}

void ClusterState::addPod(Pod p) {
  const std::string key = podKey(p.ns, p.name);
  ChangeEvent e{ChangeEvent::Type::kAdded, ChangeEvent::Kind::kPod, key, 0, nullptr, nullptr};
  {
    std::lock_guard lock(mu_);
    p.resource_version = e.resource_version = ++rv_;
    if (pods_.count(key) != 0) {
      e.type = ChangeEvent::Type::kModified;
    }
    e.pod = std::make_shared<const Pod>(p);
    pods_[key] = std::move(p);
  }
  notify(e);
}

bool ClusterState::removePod(const std::string& ns, const std::string& name) {
  ChangeEvent e{ChangeEvent::Type::kDeleted, ChangeEvent::Kind::kPod, podKey(ns, name), 0, nullptr, nullptr};
  {
    std::lock_guard lock(mu_);
    auto it = pods_.find(e.key);
    if (it == pods_.end()) {
      return false;
    }
    e.resource_version = ++rv_;
    e.pod = std::make_shared<const Pod>(it->second);
    pods_.erase(it);
  }
  notify(e);
  return true;
}

bool ClusterState::restartContainer(const std::string& ns, const std::string& pod,
                                    const std::string& container, UnixNanos now) {
  ChangeEvent e{ChangeEvent::Type::kModified, ChangeEvent::Kind::kPod, podKey(ns, pod), 0, nullptr, nullptr};
  {
    std::lock_guard lock(mu_);
    auto it = pods_.find(e.key);
    if (it == pods_.end()) {
      return false;
    }
    bool found = false;
    for (auto& c : it->second.containers) {
      if (c.name == container) {
        c.start_time = now;
        ++c.restart_count;
        found = true;
      }
    }
    if (!found) {
      return false;
    }
    it->second.resource_version = e.resource_version = ++rv_;
    e.pod = std::make_shared<const Pod>(it->second);
  }
  notify(e);
  return true;
}

bool ClusterState::setFault(const std::string& node, FaultMode mode, uint32_t slow_delay_ms) {
  // Faults are kubelet behaviour, not API objects: no resourceVersion bump, no watch event.
  std::lock_guard lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) {
    return false;
  }
  it->second.fault = mode;
  it->second.slow_delay_ms = slow_delay_ms;
  return true;
}

uint64_t ClusterState::subscribe(std::function<void(const ChangeEvent&)> cb) {
  std::lock_guard lock(mu_);
  subscribers_[next_sub_] = std::move(cb);
  return next_sub_++;
}

void ClusterState::unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
}

void ClusterState::notify(const ChangeEvent& e) {
  std::vector<std::function<void(const ChangeEvent&)>> subs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [_, cb] : subscribers_) {
      subs.push_back(cb);
    }
  }
  for (const auto& cb : subs) {
    cb(e);
  }
}

}  // namespace kmetrics::sim
