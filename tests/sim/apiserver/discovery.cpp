// Discovery documents. Always plain JSON (APIVersions / APIGroupList / APIResourceList) whatever the
// Accept header asks for: kubectl 1.27+ ask for aggregated discovery first and fall back to plain JSON
// when the response Content-Type says so; a 406 would abort them (wire-formats.md §3.3).
#include "apiserver/http_util.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {
namespace {

Json resource(const std::string& name, const std::string& singular, bool namespaced, const std::string& kind,
              std::vector<std::string> verbs, std::vector<std::string> short_names = {},
              std::vector<std::string> categories = {}) {
  Json r{{"name", name}, {"singularName", singular}, {"namespaced", namespaced}, {"kind", kind}, {"verbs", verbs}};
  if (!short_names.empty()) r["shortNames"] = short_names;
  if (!categories.empty()) r["categories"] = categories;
  return r;
}

const std::vector<std::string> kReadVerbs = {"get", "list", "watch"};

Json coreResources() {
  Json list = Json::array();
  list.push_back(resource("configmaps", "configmap", true, "ConfigMap", kReadVerbs, {"cm"}));
  list.push_back(resource("namespaces", "namespace", false, "Namespace", {"get", "list"}, {"ns"}));
  list.push_back(resource("nodes", "node", false, "Node", kReadVerbs, {"no"}));
  list.push_back(resource("nodes/metrics", "", false, "Node", {"get"}));
  list.push_back(resource("nodes/proxy", "", false, "NodeProxyOptions", {"get"}));
  list.push_back(resource("nodes/stats", "", false, "Node", {"get"}));
  list.push_back(resource("pods", "pod", true, "Pod", kReadVerbs, {"po"}, {"all"}));
  list.push_back(resource("services", "service", true, "Service", {"get", "list"}, {"svc"}, {"all"}));
  list.push_back(resource("services/proxy", "", true, "ServiceProxyOptions", {"get", "create", "delete", "update"}));
  return list;
}

Json groupJson(const std::string& name, const std::string& version) {
  Json gv{{"groupVersion", name + "/" + version}, {"version", version}};
  return Json{{"name", name}, {"versions", Json::array({gv})}, {"preferredVersion", gv}};
}

struct LocalGroup {
  const char* group;
  const char* version;
};
constexpr LocalGroup kLocalGroups[] = {
    {"apiregistration.k8s.io", "v1"}, {"authentication.k8s.io", "v1"}, {"authorization.k8s.io", "v1"}};

Json localGroupResources(const std::string& group) {
  Json list = Json::array();
  if (group == "apiregistration.k8s.io")
    list.push_back(resource("apiservices", "apiservice", false, "APIService", kReadVerbs, {}, {"api-extensions"}));
  if (group == "authentication.k8s.io")
    list.push_back(resource("tokenreviews", "tokenreview", false, "TokenReview", {"create"}));
  if (group == "authorization.k8s.io")
    list.push_back(resource("subjectaccessreviews", "subjectaccessreview", false, "SubjectAccessReview", {"create"}));
  return list;
}

bool isLocalGroup(const std::string& g) {
  for (const auto& lg : kLocalGroups)
    if (g == lg.group) return true;
  return false;
}

}  // namespace

bool isDiscoveryPath(const RequestCtx& ctx) {
  const auto& s = ctx.segments;
  if (s.size() == 1 && (s[0] == "version" || s[0] == "api" || s[0] == "apis")) return true;
  if (s.size() == 2 && s[0] == "api" && s[1] == "v1") return true;
  if (s.size() == 2 && s[0] == "apis") return true;
  if (s.size() == 3 && s[0] == "apis" && isLocalGroup(s[1])) return true;
  return false;
}

void handleDiscovery(ServerCore& core, RequestCtx& ctx) {
  const auto& s = ctx.segments;
  if (s[0] == "version") {
    sendJson(ctx.resp, 200,
             Json{{"major", "1"}, {"minor", core.config.version_minor}, {"gitVersion", core.config.git_version},
                  {"gitCommit", "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828"}, {"gitTreeState", "clean"},
                  {"buildDate", "2025-05-15T08:19:08Z"}, {"goVersion", "go1.24.2"}, {"compiler", "gc"},
                  {"platform", "linux/amd64"}});
    return;
  }
  if (s.size() == 1 && s[0] == "api") {
    const std::string addr = ctx.req.serverAddress().toString();
    sendJson(ctx.resp, 200,
             Json{{"kind", "APIVersions"}, {"versions", Json::array({"v1"})},
                  {"serverAddressByClientCIDRs", Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", addr}}})}});
    return;
  }
  if (s.size() == 2 && s[0] == "api") {
    sendJson(ctx.resp, 200,
             Json{{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", "v1"}, {"resources", coreResources()}});
    return;
  }
  if (s.size() == 1) {  // /apis
    Json groups = Json::array();
    for (const auto& lg : kLocalGroups) groups.push_back(groupJson(lg.group, lg.version));
    // kube-aggregator lists every registered APIService's group, available or not.
    for (const auto& e : core.aggregator.services()) groups.push_back(groupJson(e.spec.group, e.spec.version));
    sendJson(ctx.resp, 200, Json{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
    return;
  }
  const std::string& group = s[1];
  if (s.size() == 2) {  // /apis/<group>: served by the aggregator itself, also for aggregated groups
    if (isLocalGroup(group)) {
      for (const auto& lg : kLocalGroups) {
        if (group == lg.group) {
          Json g = groupJson(lg.group, lg.version);
          g["kind"] = "APIGroup";
          g["apiVersion"] = "v1";
          sendJson(ctx.resp, 200, g);
          return;
        }
      }
    }
    if (auto e = core.aggregator.serviceForGroup(group)) {
      Json g = groupJson(e->spec.group, e->spec.version);
      g["kind"] = "APIGroup";
      g["apiVersion"] = "v1";
      sendJson(ctx.resp, 200, g);
      return;
    }
    sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
    return;
  }
  // /apis/<local group>/<version>
  for (const auto& lg : kLocalGroups) {
    if (group == lg.group && s[2] == lg.version) {
      sendJson(ctx.resp, 200,
               Json{{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", group + "/" + s[2]},
                    {"resources", localGroupResources(group)}});
      return;
    }
  }
  sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
}

}  // namespace kmetrics::sim
