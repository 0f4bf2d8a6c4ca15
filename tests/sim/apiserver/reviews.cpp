// TokenReview and SubjectAccessReview: what an extension apiserver (kmetrics) calls to authenticate
// bearer tokens and to authorize requests it got through the aggregator (wire-formats.md §6.4–6.5).
#include "apiserver/http_util.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {
namespace {

std::optional<Json> readJsonBody(RequestCtx& ctx) {
  const std::string ct = ctx.req.getContentType();
  if (ct.find("protobuf") != std::string::npos) {
    sendStatus(ctx.resp, 415, "UnsupportedMediaType", "the simulated apiserver accepts JSON bodies only");
    return std::nullopt;
  }
  try {
    return Json::parse(readBody(ctx.req, 1 << 20));
  } catch (const std::exception& e) {
    sendStatus(ctx.resp, 400, "BadRequest", std::string("invalid JSON body: ") + e.what());
    return std::nullopt;
  }
}

std::vector<std::string> stringArray(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

void tokenReview(ServerCore& core, RequestCtx& ctx) {
  auto body = readJsonBody(ctx);
  if (!body) return;
  if (!body->contains("spec") || !(*body)["spec"].is_object()) {
    sendStatus(ctx.resp, 400, "BadRequest", "TokenReview.spec is required");
    return;
  }
  const Json& spec = (*body)["spec"];
  const std::string token = spec.value("token", "");
  Json status;
  if (auto u = core.authn.authenticateToken(token)) {
    Json user{{"username", u->name}, {"uid", u->uid}, {"groups", u->groups}};
    if (!u->extra.empty()) user["extra"] = u->extra;
    status = Json{{"authenticated", true}, {"user", user}};
    Json audiences = spec.contains("audiences") ? spec["audiences"] : Json::array({"https://kubernetes.default.svc"});
    status["audiences"] = audiences;
  } else {
    status = Json{{"user", Json::object()}, {"error", "invalid bearer token"}};
  }
  Json out{{"kind", "TokenReview"},
           {"apiVersion", "authentication.k8s.io/v1"},
           {"metadata", {{"creationTimestamp", nullptr}}},
           {"spec", spec},
           {"status", status}};
  sendJson(ctx.resp, 201, out);
}

void subjectAccessReview(ServerCore& core, RequestCtx& ctx) {
  auto body = readJsonBody(ctx);
  if (!body) return;
  if (!body->contains("spec") || !(*body)["spec"].is_object()) {
    sendStatus(ctx.resp, 400, "BadRequest", "SubjectAccessReview.spec is required");
    return;
  }
  const Json& spec = (*body)["spec"];
  RequestAttributes a;
  if (spec.contains("resourceAttributes") && spec["resourceAttributes"].is_object()) {
    const Json& ra = spec["resourceAttributes"];
    a.resource_request = true;
    a.verb = ra.value("verb", "");
    a.api_group = ra.value("group", "");
    a.api_version = ra.value("version", "");
    a.resource = ra.value("resource", "");
    a.subresource = ra.value("subresource", "");
    a.ns = ra.value("namespace", "");
    a.name = ra.value("name", "");
  } else if (spec.contains("nonResourceAttributes") && spec["nonResourceAttributes"].is_object()) {
    a.resource_request = false;
    a.path = spec["nonResourceAttributes"].value("path", "");
    a.verb = spec["nonResourceAttributes"].value("verb", "");
  } else {
    sendStatus(ctx.resp, 400, "BadRequest", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
    return;
  }
  const std::string user = spec.value("user", "");
  const auto groups = spec.contains("groups") ? stringArray(spec["groups"]) : std::vector<std::string>{};
  if (user.empty() && groups.empty()) {
    sendStatus(ctx.resp, 400, "BadRequest", "at least one of user or group must be specified");
    return;
  }
  auto d = core.authz.authorize(user, groups, a);
  Json status{{"allowed", d.allowed}};
  if (!d.reason.empty()) status["reason"] = d.reason;
  Json out{{"kind", "SubjectAccessReview"},
           {"apiVersion", "authorization.k8s.io/v1"},
           {"metadata", {{"creationTimestamp", nullptr}}},
           {"spec", spec},
           {"status", status}};
  sendJson(ctx.resp, 201, out);
}

}  // namespace

void handleReviews(ServerCore& core, RequestCtx& ctx) {
  const auto& s = ctx.segments;  // apis, <group>, v1, <resource>
  const bool token = s[1] == "authentication.k8s.io";
  const std::string resource = token ? "tokenreviews" : "subjectaccessreviews";
  if (s.size() != 4 || s[2] != "v1" || s[3] != resource) {
    sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
    return;
  }
  if (ctx.method != "POST") {
    sendStatus(ctx.resp, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    return;
  }
  RequestAttributes a{true, "create", s[1], "v1", resource, "", "", "", ""};
  if (!authorizeOrForbid(core, ctx, a)) return;
  if (token) tokenReview(core, ctx);
  else subjectAccessReview(core, ctx);
}

void handleApiServices(ServerCore& core, RequestCtx& ctx) {
  const auto& s = ctx.segments;  // apis apiregistration.k8s.io v1 apiservices [name]
  if (s.size() < 4 || s.size() > 5 || s[2] != "v1" || s[3] != "apiservices") {
    sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
    return;
  }
  const std::string name = s.size() == 5 ? s[4] : "";
  RequestAttributes a{true, name.empty() ? "list" : "get", "apiregistration.k8s.io", "v1", "apiservices", "", "", name, ""};
  if (!authorizeOrForbid(core, ctx, a)) return;
  if (ctx.method != "GET") {
    sendStatus(ctx.resp, 405, "MethodNotAllowed", "register APIServices through POST /sim/apiservices");
    return;
  }
  auto all = core.aggregator.services();
  if (!name.empty()) {
    for (const auto& e : all) {
      if (e.spec.name == name) {
        sendJson(ctx.resp, 200, Json::parse(core.aggregator.apiServiceJson(e)));
        return;
      }
    }
    sendStatus(ctx.resp, 404, "NotFound", "apiservices.apiregistration.k8s.io \"" + name + "\" not found",
               Json{{"name", name}, {"group", "apiregistration.k8s.io"}, {"kind", "apiservices"}});
    return;
  }
  Json items = Json::array();
  for (const auto& e : all) {
    Json j = Json::parse(core.aggregator.apiServiceJson(e));
    j.erase("kind");
    j.erase("apiVersion");
    items.push_back(j);
  }
  sendJson(ctx.resp, 200,
           Json{{"kind", "APIServiceList"}, {"apiVersion", "apiregistration.k8s.io/v1"},
                {"metadata", {{"resourceVersion", std::to_string(core.store.resourceVersion())}}}, {"items", items}});
}

}  // namespace kmetrics::sim
