// Core API (/api/v1): nodes, pods, namespaces, the extension-apiserver-authentication ConfigMap and
// the kube-system service proxy. list, get and watch only: the simulated cluster changes through
// /sim/, never through the Kubernetes API.
#include <set>

#include "apiserver/http_util.hpp"
#include "apiserver/list_options.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {
namespace {

const char* kAuthConfigMap = "extension-apiserver-authentication";

bool isWatch(const RequestCtx& ctx) {
  auto it = ctx.query.find("watch");
  return it != ctx.query.end() && (it->second == "true" || it->second == "1");
}

void notFound(RequestCtx& ctx, const std::string& resource, const std::string& name) {
  sendStatus(ctx.resp, 404, "NotFound", resource + " \"" + name + "\" not found",
             Json{{"name", name}, {"kind", resource}});
}

Json stripType(Json obj) {
  // List items carry no kind/apiVersion on the wire (only PartialObjectMetadata items do).
  obj.erase("kind");
  obj.erase("apiVersion");
  return obj;
}

void sendList(RequestCtx& ctx, const ListOptions& o, const std::string& kind, uint64_t rv, Json items,
              const std::string& continue_token = "") {
  Json metadata{{"resourceVersion", std::to_string(rv)}};
  if (!continue_token.empty()) metadata["continue"] = continue_token;
  if (o.shape == OutputShape::kPartialMetadata) {
    sendJson(ctx.resp, 200,
             Json{{"kind", "PartialObjectMetadataList"}, {"apiVersion", "meta.k8s.io/v1"},
                  {"metadata", std::move(metadata)}, {"items", std::move(items)}},
             contentTypeFor(o.shape, true));
    return;
  }
  sendJson(ctx.resp, 200,
           Json{{"kind", kind}, {"apiVersion", "v1"}, {"metadata", std::move(metadata)}, {"items", std::move(items)}});
}

void sendTable(RequestCtx& ctx, uint64_t rv, Json columns, Json rows, const std::string& continue_token) {
  Json metadata{{"resourceVersion", std::to_string(rv)}};
  if (!continue_token.empty()) metadata["continue"] = continue_token;
  sendJson(ctx.resp, 200,
           Json{{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", std::move(metadata)},
                {"columnDefinitions", std::move(columns)}, {"rows", std::move(rows)}},
           contentTypeFor(OutputShape::kTable, true));
}

// A list with resourceVersionMatch=Exact at a compacted version fails like the real apiserver.
bool listTooOld(ServerCore& core, RequestCtx& ctx) {
  auto m = ctx.query.find("resourceVersionMatch");
  auto rv = ctx.query.find("resourceVersion");
  if (m == ctx.query.end() || m->second != "Exact" || rv == ctx.query.end()) return false;
  uint64_t want = 0;
  try {
    want = std::stoull(rv->second);
  } catch (...) {
    sendStatus(ctx.resp, 400, "BadRequest", "invalid resourceVersion \"" + rv->second + "\"");
    return true;
  }
  if (want >= core.store.oldestWatchable()) return false;
  sendStatus(ctx.resp, 410, "Expired",
             "The resourceVersion for the provided list is too old.");
  return true;
}

// A list of nodes or pods, one page at a time when the client sends `limit` (kubectl and client-go
// send 500). Like kube-apiserver, every page is read at the first page's resourceVersion; a token
// older than the history is answered 410 Expired.
template <typename T, typename ReadPage>
void listObjects(ServerCore& core, RequestCtx& ctx, const ListOptions& o, const char* kind, const Json& columns,
                 ReadPage read_page) {
  if (listTooOld(core, ctx)) return;
  auto paging = parsePaging(ctx);
  if (!paging) return;
  if (paging->resource_version > core.store.resourceVersion()) {
    sendStatus(ctx.resp, 400, "BadRequest", "continue key is not valid: resource version is in the future");
    return;
  }
  std::optional<ObjectStore::Page<T>> page = read_page(
      paging->resource_version, paging->start, paging->limit, [&](const T& obj) { return matches(o, obj); });
  if (!page) {
    sendStatus(ctx.resp, 410, "Expired",
               "The provided continue parameter is too old to display a consistent list result. You can start a "
               "new list without the continue parameter.");
    return;
  }
  const std::string token = page->last_key.empty() ? "" : encodeContinue(page->resource_version, page->last_key);
  const UnixNanos now = apiNow();
  Json items = Json::array();
  for (const auto& obj : page->items) {
    Json rendered = renderObject(o, *obj, now);
    if (o.shape == OutputShape::kTable) items.push_back(std::move(rendered["rows"][0]));
    else items.push_back(o.shape == OutputShape::kFull ? stripType(std::move(rendered)) : std::move(rendered));
  }
  if (o.shape == OutputShape::kTable) sendTable(ctx, page->resource_version, columns, std::move(items), token);
  else sendList(ctx, o, kind, page->resource_version, std::move(items), token);
}

void listNodes(ServerCore& core, RequestCtx& ctx, const ListOptions& o) {
  listObjects<Node>(core, ctx, o, "NodeList", nodeTableColumns(), [&](auto&&... args) {
    return core.store.listNodes(args...);
  });
}

void listPods(ServerCore& core, RequestCtx& ctx, const ListOptions& o) {
  listObjects<Pod>(core, ctx, o, "PodList", podTableColumns(), [&](auto&&... args) {
    return core.store.listPods(args...);
  });
}

std::set<std::string> namespaces(ServerCore& core) {
  std::set<std::string> out = {"default", "kube-node-lease", "kube-public", "kube-system"};
  for (const auto& p : core.store.view().pods) out.insert(p->ns);
  return out;
}

Json namespaceJson(const std::string& name) {
  return Json{{"kind", "Namespace"},
              {"apiVersion", "v1"},
              {"metadata", {{"name", name}, {"uid", "ns-uid-" + name}, {"resourceVersion", "1"},
                            {"creationTimestamp", "2024-01-01T00:00:00Z"},
                            {"labels", {{"kubernetes.io/metadata.name", name}}}}},
              {"spec", {{"finalizers", Json::array({"kubernetes"})}}},
              {"status", {{"phase", "Active"}}}};
}

}  // namespace

// JSON-string-array values exactly as kube-apiserver writes them (wire-formats.md §6.3).
Json authConfigMapJson(ServerCore& core) {
  Json data{{"client-ca-file", core.config.client_ca_pem},
            {"requestheader-allowed-names", "[\"aggregator\"]"},
            {"requestheader-client-ca-file", core.config.front_proxy_ca_pem},
            {"requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]"},
            {"requestheader-group-headers", "[\"X-Remote-Group\"]"},
            {"requestheader-username-headers", "[\"X-Remote-User\"]"}};
  return Json{{"kind", "ConfigMap"},
              {"apiVersion", "v1"},
              {"metadata", {{"name", kAuthConfigMap}, {"namespace", "kube-system"}, {"uid", "cm-uid-extension-auth"},
                            {"resourceVersion", "1"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
              {"data", data}};
}

namespace {

void handleConfigMaps(ServerCore& core, RequestCtx& ctx, const std::string& ns, const std::string& name) {
  RequestAttributes a{true, name.empty() ? (isWatch(ctx) ? "watch" : "list") : "get", "", "v1", "configmaps", "", ns,
                      name, ""};
  if (!authorizeOrForbid(core, ctx, a)) return;
  auto o = parseListOptions(ctx, "configmaps", ns);
  if (!o) return;
  const bool exists_here = ns.empty() || ns == "kube-system";
  Json cm = authConfigMapJson(core);
  auto matchesCm = [&] {
    return o->fields.matches([&](const std::string& f) {
      return f == "metadata.name" ? std::string(kAuthConfigMap) : f == "metadata.namespace" ? "kube-system" : "";
    }) && o->labels.matches({});
  };
  if (!name.empty()) {
    if (!exists_here || name != kAuthConfigMap) return notFound(ctx, "configmaps", name);
    sendJson(ctx.resp, 200, cm);
    return;
  }
  if (isWatch(ctx)) {
    handleWatch(core, ctx, "configmaps", ns);
    return;
  }
  Json items = Json::array();
  if (exists_here && matchesCm()) items.push_back(stripType(cm));
  sendList(ctx, *o, "ConfigMapList", core.store.resourceVersion(), std::move(items));
}

}  // namespace

void handleCore(ServerCore& core, RequestCtx& ctx) {
  const auto& s = ctx.segments;  // s[0]="api", s[1]="v1"
  // Service proxy accepts any method; everything else here is read-only.
  if (s.size() >= 7 && s[2] == "namespaces" && s[4] == "services" && s[6] == "proxy") {
    if (s[3] != "kube-system") return notFound(ctx, "services", s[5]);
    return handleServiceProxy(core, ctx, s[5], 7);
  }
  if (ctx.method != "GET") {
    sendStatus(ctx.resp, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    return;
  }
  const bool watch = isWatch(ctx);
  std::string ns, resource, name;
  size_t i = 2;
  if (s.size() > i && s[i] == "namespaces" && s.size() > i + 2) {
    ns = s[i + 1];
    i += 2;
  }
  if (s.size() > i) resource = s[i];
  if (s.size() > i + 1) name = s[i + 1];
  const bool has_sub = s.size() > i + 2;
  if (resource.empty() || has_sub) {
    sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
    return;
  }
  if (resource == "configmaps") return handleConfigMaps(core, ctx, ns, name);

  if (resource == "namespaces" && ns.empty()) {
    RequestAttributes a{true, name.empty() ? "list" : "get", "", "v1", "namespaces", "", "", name, ""};
    if (!authorizeOrForbid(core, ctx, a)) return;
    auto all = namespaces(core);
    if (!name.empty()) {
      if (all.count(name) == 0) return notFound(ctx, "namespaces", name);
      sendJson(ctx.resp, 200, namespaceJson(name));
      return;
    }
    Json items = Json::array();
    for (const auto& n : all) items.push_back(stripType(namespaceJson(n)));
    sendJson(ctx.resp, 200,
             Json{{"kind", "NamespaceList"}, {"apiVersion", "v1"},
                  {"metadata", {{"resourceVersion", std::to_string(core.store.resourceVersion())}}}, {"items", items}});
    return;
  }
  if (resource != "nodes" && resource != "pods") {
    sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
    return;
  }
  if (resource == "nodes" && !ns.empty()) {
    sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
    return;
  }
  const std::string verb = !name.empty() ? "get" : watch ? "watch" : "list";
  RequestAttributes a{true, verb, "", "v1", resource, "", ns, name, ""};
  if (!authorizeOrForbid(core, ctx, a)) return;
  auto o = parseListOptions(ctx, resource, ns);
  if (!o) return;
  if (!name.empty()) {
    const UnixNanos now = apiNow();
    if (resource == "nodes") {
      auto n = core.store.node(name);
      if (!n) return notFound(ctx, "nodes", name);
      sendJson(ctx.resp, 200, renderObject(*o, *n, now), contentTypeFor(o->shape, false));
    } else {
      auto p = ns.empty() ? nullptr : core.store.pod(ns, name);
      if (!p) return notFound(ctx, "pods", name);
      sendJson(ctx.resp, 200, renderObject(*o, *p, now), contentTypeFor(o->shape, false));
    }
    return;
  }
  if (watch) return handleWatch(core, ctx, resource, ns);
  if (resource == "nodes") listNodes(core, ctx, *o);
  else listPods(core, ctx, *o);
}

}  // namespace kmetrics::sim
