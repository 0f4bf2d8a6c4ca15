// /sim/ control API for tests (system:masters only): ground truth, kubelet faults, cluster changes,
// watch expiry, APIService registration. Documented in tests/sim/README.md.
#include <algorithm>
#include <set>

#include "apiserver/http_util.hpp"
#include "apiserver/list_options.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {
namespace {

std::string q(const RequestCtx& ctx, const char* k, const std::string& def = "") {
  auto it = ctx.query.find(k);
  return it == ctx.query.end() ? def : it->second;
}

std::vector<std::string> splitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void ok(RequestCtx& ctx, Json extra = Json::object()) {
  extra["ok"] = true;
  sendJson(ctx.resp, 200, extra);
}

void bad(RequestCtx& ctx, int code, const std::string& msg) {
  sendStatus(ctx.resp, code, code == 404 ? "NotFound" : "BadRequest", msg);
}

Json truth(ServerCore& core) {
  auto v = core.store.view();
  const auto nodes = core.state.nodes();  // fault modes live only in ClusterState
  Json jn = Json::array();
  Json jp = Json::array();
  std::map<std::string, std::pair<uint64_t, uint64_t>> per_node;  // cpu, mem from running pods
  for (const auto& p : v.pods) {
    uint64_t cpu = 0, mem = 0;
    Json cs = Json::array();
    for (const auto& c : p->containers) {
      cpu += c.workload.cpu_millicores;
      mem += c.workload.memory_bytes;
      cs.push_back({{"name", c.name}, {"cpu_millicores", c.workload.cpu_millicores},
                    {"memory_bytes", c.workload.memory_bytes}, {"start_time", rfc3339(c.start_time)},
                    {"start_time_unix_nanos", c.start_time}, {"restart_count", c.restart_count}});
    }
    if (p->phase == "Running") {
      per_node[p->node_name].first += cpu;
      per_node[p->node_name].second += mem;
    }
    jp.push_back({{"namespace", p->ns}, {"name", p->name}, {"node", p->node_name}, {"phase", p->phase},
                  {"labels", p->labels}, {"cpu_millicores", cpu}, {"memory_bytes", mem}, {"containers", cs}});
  }
  for (const auto& n : nodes) {
    const auto& sums = per_node[n.name];
    jn.push_back({{"name", n.name}, {"internal_ip", n.internal_ip}, {"kubelet_port", n.kubelet_port},
                  {"fault", faultModeName(n.fault)}, {"slow_delay_ms", n.slow_delay_ms},
                  {"cpu_millicores", n.cpu_base_millicores + sums.first},
                  {"memory_bytes", n.memory_base_bytes + sums.second},
                  {"cpu_base_millicores", n.cpu_base_millicores}, {"memory_base_bytes", n.memory_base_bytes},
                  {"allocatable_cpu_millicores", kNodeAllocatableMillicores},
                  {"allocatable_memory_bytes", kNodeAllocatableBytes},
                  {"capacity_cpu_millicores", kNodeCapacityMillicores}, {"capacity_memory_bytes", kNodeCapacityBytes},
                  {"labels", n.labels}});
  }
  return Json{{"resourceVersion", std::to_string(v.resource_version)},
              {"now", rfc3339(apiNow())},
              {"note", "node usage = base + running pods' containers; pod usage = sum of its containers"},
              {"nodes", jn},
              {"pods", jp}};
}

Container makeContainer(const std::string& ns, const std::string& pod, const std::string& name, UnixNanos start) {
  Container c;
  c.name = name;
  c.start_time = start;
  c.workload = workloadFor(ns + "/" + pod + "/" + name);
  c.cpu_request_millicores = 100;
  c.cpu_limit_millicores = 1000;
  c.memory_request_bytes = 64ull << 20;
  c.memory_limit_bytes = 1ull << 30;
  return c;
}

std::map<std::string, std::string> parseLabels(const std::string& s) {
  std::map<std::string, std::string> out;
  for (const auto& kv : splitComma(s)) {
    size_t eq = kv.find('=');
    out[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return out;
}

void addPod(ServerCore& core, RequestCtx& ctx) {
  const std::string ns = q(ctx, "namespace", "default"), name = q(ctx, "name"), node = q(ctx, "node");
  if (name.empty() || node.empty()) return bad(ctx, 400, "name and node are required");
  if (!core.state.node(node)) return bad(ctx, 404, "node " + node + " not found");
  const UnixNanos now = apiNow();
  Pod p;
  p.ns = ns;
  p.name = name;
  p.uid = "uid-" + ns + "-" + name;
  p.node_name = node;
  p.labels = parseLabels(q(ctx, "labels", "app=" + name));
  p.phase = q(ctx, "phase", "Running");
  const int64_t age_s = std::stoll(q(ctx, "age_seconds", "0"));
  p.creation_time = now - age_s * 1'000'000'000;
  for (const auto& c : splitComma(q(ctx, "containers", "main")))
    p.containers.push_back(makeContainer(ns, name, c, p.creation_time));
  core.state.addPod(std::move(p));
  ok(ctx);
}

void addNode(ServerCore& core, RequestCtx& ctx) {
  const std::string name = q(ctx, "name");
  if (name.empty()) return bad(ctx, 400, "name is required");
  const auto existing = core.state.nodes();
  Node n;
  n.name = name;
  std::set<std::string> used;
  for (const auto& e : existing) used.insert(e.internal_ip);
  std::string ip;
  for (int i = 0; i < 100000 && ip.empty(); ++i)
    if (used.count(nodeAddress(i)) == 0) ip = nodeAddress(i);
  n.internal_ip = q(ctx, "ip", ip);
  n.kubelet_port = static_cast<uint16_t>(std::stoi(q(ctx, "port", existing.empty() ? "10250"
                                                                   : std::to_string(existing.front().kubelet_port))));
  n.labels = {{"kubernetes.io/hostname", name}, {"kubernetes.io/os", "linux"}, {"node-role.kubernetes.io/worker", ""}};
  for (const auto& [k, v] : parseLabels(q(ctx, "labels"))) n.labels[k] = v;
  n.creation_time = n.boot_time = apiNow();
  core.state.addNode(n);
  const int pods = std::stoi(q(ctx, "pods", "0"));
  for (int i = 0; i < pods && i < 1000; ++i) {
    Pod p;
    p.ns = "default";
    p.name = "pod-" + name + "-" + std::to_string(i);
    p.uid = "uid-" + name + "-" + std::to_string(i);
    p.node_name = name;
    p.labels = {{"app", "added"}};
    p.creation_time = n.creation_time;
    p.containers.push_back(makeContainer(p.ns, p.name, "main", n.creation_time));
    core.state.addPod(std::move(p));
  }
  ok(ctx, Json{{"internal_ip", n.internal_ip}, {"kubelet_port", n.kubelet_port}});
}

void closeWatches(ServerCore& core) {
  {
    std::lock_guard lock(core.mu);
    ++core.watch_generation;
  }
  core.store.wakeAll();
}

}  // namespace

void handleControl(ServerCore& core, RequestCtx& ctx) {
  const auto& groups = ctx.user.groups;
  if (std::find(groups.begin(), groups.end(), "system:masters") == groups.end()) {
    sendStatus(ctx.resp, 403, "Forbidden", "the /sim/ control API is for system:masters only");
    return;
  }
  const auto& s = ctx.segments;  // "sim", ...
  const std::string& m = ctx.method;
  try {
    if (s.size() == 2 && s[1] == "truth" && m == "GET") return sendJson(ctx.resp, 200, truth(core));
    if (s.size() == 2 && s[1] == "status" && m == "GET") {
      return sendJson(ctx.resp, 200,
                      Json{{"resourceVersion", core.store.resourceVersion()},
                           {"oldestWatchable", core.store.oldestWatchable()},
                           {"openWatches", core.open_watches.load()}});
    }
    if (s.size() == 2 && s[1] == "nodes" && m == "POST") return addNode(core, ctx);
    if (s.size() == 3 && s[1] == "nodes" && m == "DELETE") {
      if (!core.state.removeNode(s[2])) return bad(ctx, 404, "node " + s[2] + " not found");
      return ok(ctx);
    }
    if (s.size() == 4 && s[1] == "nodes" && s[3] == "fault" && m == "POST") {
      auto mode = parseFaultMode(q(ctx, "mode"));
      if (!mode) return bad(ctx, 400, "mode must be one of hang|http500|garbage|truncated|nan|slow|summary-only|none");
      const auto delay = static_cast<uint32_t>(std::stoul(q(ctx, "delay_ms", "0")));
      if (!core.state.setFault(s[2], *mode, delay)) return bad(ctx, 404, "node " + s[2] + " not found");
      return ok(ctx);
    }
    if (s.size() == 2 && s[1] == "pods" && m == "POST") return addPod(core, ctx);
    if (s.size() == 4 && s[1] == "pods" && m == "DELETE") {
      if (!core.state.removePod(s[2], s[3])) return bad(ctx, 404, "pod " + s[2] + "/" + s[3] + " not found");
      return ok(ctx);
    }
    if (s.size() == 5 && s[1] == "pods" && s[4] == "phase" && m == "POST") {
      auto p = core.state.pod(s[2], s[3]);
      if (!p) return bad(ctx, 404, "pod " + s[2] + "/" + s[3] + " not found");
      p->phase = q(ctx, "phase", "Running");
      core.state.addPod(std::move(*p));  // replaces: a MODIFIED event
      return ok(ctx);
    }
    if (s.size() == 7 && s[1] == "pods" && s[4] == "containers" && s[6] == "restart" && m == "POST") {
      if (!core.state.restartContainer(s[2], s[3], s[5], apiNow()))
        return bad(ctx, 404, "container " + s[2] + "/" + s[3] + "/" + s[5] + " not found");
      return ok(ctx);
    }
    if (s.size() == 3 && s[1] == "watch" && s[2] == "expire" && m == "POST") {
      const std::string resource = q(ctx, "resource");
      const bool http = q(ctx, "http") == "1" || q(ctx, "http") == "true";
      {
        std::lock_guard lock(core.mu);
        if (resource.empty() || resource == "nodes") core.expire_pending["nodes"] = http;
        if (resource.empty() || resource == "pods") core.expire_pending["pods"] = http;
      }
      closeWatches(core);
      return ok(ctx);
    }
    if (s.size() == 3 && s[1] == "watch" && s[2] == "close" && m == "POST") {
      closeWatches(core);
      return ok(ctx);
    }
    if (s.size() == 3 && s[1] == "watch" && s[2] == "compact" && m == "POST") {
      core.store.compact();
      return ok(ctx);
    }
    if (s.size() == 2 && s[1] == "apiservices" && m == "GET") {
      Json items = Json::array();
      for (const auto& e : core.aggregator.services()) items.push_back(Json::parse(core.aggregator.apiServiceJson(e)));
      return sendJson(ctx.resp, 200, Json{{"items", items}});
    }
    if (s.size() == 2 && s[1] == "apiservices" && m == "POST") {
      const std::string backend = q(ctx, "backend");
      if (backend.rfind("https://", 0) != 0) return bad(ctx, 400, "backend must be https://host:port");
      ApiServiceSpec spec{q(ctx, "name", "v1beta1.metrics.k8s.io"), q(ctx, "group", "metrics.k8s.io"),
                          q(ctx, "version", "v1beta1"), backend, ""};
      core.aggregator.registerService(spec);
      return ok(ctx);
    }
    if (s.size() == 3 && s[1] == "apiservices" && s[2] == "probe" && m == "POST") {
      core.aggregator.probeAll();
      return ok(ctx);
    }
    if (s.size() == 3 && s[1] == "apiservices" && m == "DELETE") {
      if (!core.aggregator.unregisterService(s[2])) return bad(ctx, 404, "apiservice " + s[2] + " not found");
      return ok(ctx);
    }
    if (s.size() == 2 && s[1] == "heapster" && m == "POST") {
      std::lock_guard lock(core.mu);
      core.heapster_backend = q(ctx, "backend");
      return ok(ctx);
    }
    if (s.size() == 2 && s[1] == "tokens" && m == "POST") {
      UserInfo u;
      u.name = q(ctx, "user");
      u.groups = splitComma(q(ctx, "groups"));
      if (q(ctx, "token").empty() || u.name.empty()) return bad(ctx, 400, "token and user are required");
      core.authn.addToken(q(ctx, "token"), u);
      return ok(ctx);
    }
  } catch (const std::invalid_argument&) {
    return bad(ctx, 400, "invalid number in query");
  } catch (const std::out_of_range&) {
    return bad(ctx, 400, "number out of range in query");
  }
  bad(ctx, 404, "unknown control endpoint " + ctx.path);
}

}  // namespace kmetrics::sim
