#include "apiserver/object_json.hpp"

#include <ctime>

namespace kmetrics::sim {
namespace {

constexpr UnixNanos kSecond = 1'000'000'000;

Json labelsJson(const std::map<std::string, std::string>& m) {
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

std::string nodeRoles(const Node& n) {
  std::string roles;
  const std::string prefix = "node-role.kubernetes.io/";
  for (const auto& [k, _] : n.labels) {
    if (k.rfind(prefix, 0) == 0) roles += (roles.empty() ? "" : ",") + k.substr(prefix.size());
  }
  return roles.empty() ? "<none>" : roles;
}

Json column(const char* name, const char* type, const char* format, const char* description, int priority = 0) {
  return Json{{"name", name}, {"type", type}, {"format", format}, {"description", description}, {"priority", priority}};
}

}  // namespace

std::string rfc3339(UnixNanos t) {
  std::time_t secs = static_cast<std::time_t>(t / kSecond);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string cpuQuantity(uint64_t millicores) {
  if (millicores % 1000 == 0) return std::to_string(millicores / 1000);
  return std::to_string(millicores) + "m";
}

std::string memoryQuantity(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes);
  static const char* suffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  int i = 0;
  while (bytes % 1024 == 0 && i < 6) {
    bytes /= 1024;
    ++i;
  }
  return std::to_string(bytes) + suffixes[i];
}

std::string humanAge(UnixNanos created, UnixNanos now) {
  // Mirrors apimachinery's duration.HumanDuration closely enough for table output.
  int64_t s = (now - created) / kSecond;
  if (s < 0) s = 0;
  if (s < 120) return std::to_string(s) + "s";
  int64_t m = s / 60;
  if (m < 10) return std::to_string(m) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  if (m < 180) return std::to_string(m) + "m";
  int64_t h = m / 60;
  if (h < 8) return std::to_string(h) + "h" + (m % 60 ? std::to_string(m % 60) + "m" : "");
  if (h < 48) return std::to_string(h) + "h";
  if (h < 192) return std::to_string(h / 24) + "d" + (h % 24 ? std::to_string(h % 24) + "h" : "");
  if (h < 24 * 365 * 2) return std::to_string(h / 24) + "d";
  return std::to_string(h / 24 / 365) + "y";
}

Json metadataJson(const Node& n) {
  Json md{{"name", n.name},
          {"uid", "node-uid-" + n.name},
          {"resourceVersion", std::to_string(n.resource_version)},
          {"creationTimestamp", rfc3339(n.creation_time)},
          {"labels", labelsJson(n.labels)}};
  Json ann = labelsJson(n.annotations);
  ann["node.alpha.kubernetes.io/ttl"] = "0";
  md["annotations"] = ann;
  return md;
}

Json metadataJson(const Pod& p) {
  Json md{{"name", p.name},
          {"namespace", p.ns},
          {"uid", p.uid},
          {"resourceVersion", std::to_string(p.resource_version)},
          {"creationTimestamp", rfc3339(p.creation_time)},
          {"labels", labelsJson(p.labels)}};
  return md;
}

Json partialObjectMetadata(Json metadata) {
  return Json{{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", std::move(metadata)}};
}

Json nodeJson(const Node& n) {
  const std::string created = rfc3339(n.creation_time);
  Json capacity{{"cpu", cpuQuantity(kNodeCapacityMillicores)},
                {"ephemeral-storage", "100Gi"},
                {"memory", memoryQuantity(kNodeCapacityBytes)},
                {"pods", "110"}};
  Json allocatable{{"cpu", cpuQuantity(kNodeAllocatableMillicores)},
                   {"ephemeral-storage", "95Gi"},
                   {"memory", memoryQuantity(kNodeAllocatableBytes)},
                   {"pods", "110"}};
  Json conditions = Json::array();
  for (const char* t : {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
    conditions.push_back({{"type", t}, {"status", "False"}, {"lastHeartbeatTime", created},
                          {"lastTransitionTime", created}, {"reason", std::string("KubeletHasNo") + t},
                          {"message", "kubelet is fine"}});
  }
  conditions.push_back({{"type", "Ready"}, {"status", "True"}, {"lastHeartbeatTime", created},
                        {"lastTransitionTime", created}, {"reason", "KubeletReady"},
                        {"message", "kubelet is posting ready status"}});
  Json status{
      {"capacity", capacity},
      {"allocatable", allocatable},
      {"conditions", conditions},
      {"addresses", Json::array({{{"type", "InternalIP"}, {"address", n.internal_ip}},
                                 {{"type", "Hostname"}, {"address", n.name}}})},
      {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", n.kubelet_port}}}}},
      {"nodeInfo",
       {{"machineID", "sim-" + n.name},
        {"systemUUID", "sim-" + n.name},
        {"bootID", "boot-" + n.name},
        {"kernelVersion", "6.1.0-sim"},
        {"osImage", "Simulated Linux"},
        {"containerRuntimeVersion", "containerd://1.7.0"},
        {"kubeletVersion", kKubeVersion},
        {"kubeProxyVersion", kKubeVersion},
        {"operatingSystem", "linux"},
        {"architecture", "amd64"}}}};
  return Json{{"kind", "Node"},
              {"apiVersion", "v1"},
              {"metadata", metadataJson(n)},
              {"spec", {{"podCIDR", "10.244.0.0/24"}}},
              {"status", status}};
}

Json podJson(const Pod& p) {
  Json containers = Json::array();
  Json statuses = Json::array();
  UnixNanos start = p.creation_time;
  for (const auto& c : p.containers) {
    Json requests{{"cpu", cpuQuantity(c.cpu_request_millicores)}, {"memory", memoryQuantity(c.memory_request_bytes)}};
    Json limits{{"cpu", cpuQuantity(c.cpu_limit_millicores)}, {"memory", memoryQuantity(c.memory_limit_bytes)}};
    containers.push_back({{"name", c.name},
                          {"image", "registry.k8s.io/pause:3.9"},
                          {"resources", {{"requests", requests}, {"limits", limits}}}});
    const bool running = p.phase == "Running";
    Json state = running ? Json{{"running", {{"startedAt", rfc3339(c.start_time)}}}}
                         : Json{{"terminated", {{"exitCode", 0}, {"reason", "Completed"},
                                                {"startedAt", rfc3339(c.start_time)}}}};
    statuses.push_back({{"name", c.name},
                        {"state", state},
                        {"ready", running},
                        {"restartCount", c.restart_count},
                        {"image", "registry.k8s.io/pause:3.9"},
                        {"imageID", "registry.k8s.io/pause@sha256:0000"},
                        {"containerID", "containerd://" + p.uid + "-" + c.name},
                        {"started", running}});
  }
  const std::string started = rfc3339(start);
  Json status{{"phase", p.phase},
              {"conditions", Json::array({{{"type", "Ready"}, {"status", p.phase == "Running" ? "True" : "False"},
                                           {"lastProbeTime", nullptr}, {"lastTransitionTime", started}}})},
              {"podIP", "10.244.0.1"},
              {"startTime", started},
              {"containerStatuses", statuses},
              {"qosClass", "Burstable"}};
  return Json{{"kind", "Pod"},
              {"apiVersion", "v1"},
              {"metadata", metadataJson(p)},
              {"spec", {{"nodeName", p.node_name}, {"containers", containers}, {"restartPolicy", "Always"}}},
              {"status", status}};
}

Json nodeTableColumns() {
  return Json::array({column("Name", "string", "name", "Name must be unique within a namespace."),
                      column("Status", "string", "", "The status of the node"),
                      column("Roles", "string", "", "The roles of the node"),
                      column("Age", "string", "", "CreationTimestamp is a timestamp"),
                      column("Version", "string", "", "Kubelet Version reported by the node."),
                      column("Internal-IP", "string", "", "List of internal IPs in the node.", 1)});
}

Json nodeTableCells(const Node& n, UnixNanos now) {
  return Json::array({n.name, "Ready", nodeRoles(n), humanAge(n.creation_time, now), kKubeVersion, n.internal_ip});
}

Json podTableColumns() {
  return Json::array({column("Name", "string", "name", "Name must be unique within a namespace."),
                      column("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic."),
                      column("Status", "string", "", "The aggregate status of the containers in this pod."),
                      column("Restarts", "string", "", "The number of times the containers in this pod have been restarted."),
                      column("Age", "string", "", "CreationTimestamp is a timestamp"),
                      column("Node", "string", "", "Name of the node the pod is assigned to.", 1)});
}

Json podTableCells(const Pod& p, UnixNanos now) {
  uint64_t restarts = 0;
  for (const auto& c : p.containers) restarts += c.restart_count;
  const size_t ready = p.phase == "Running" ? p.containers.size() : 0;
  return Json::array({p.name, std::to_string(ready) + "/" + std::to_string(p.containers.size()), p.phase,
                      restarts, humanAge(p.creation_time, now), p.node_name});
}

std::string nodeField(const Node& n, const std::string& field) {
  if (field == "metadata.name") return n.name;
  if (field == "metadata.namespace") return "";
  if (field == "spec.unschedulable") return "false";
  return "";
}

std::string podField(const Pod& p, const std::string& field) {
  if (field == "metadata.name") return p.name;
  if (field == "metadata.namespace") return p.ns;
  if (field == "spec.nodeName") return p.node_name;
  if (field == "status.phase") return p.phase;
  if (field == "spec.restartPolicy") return "Always";
  return "";
}

}  // namespace kmetrics::sim
