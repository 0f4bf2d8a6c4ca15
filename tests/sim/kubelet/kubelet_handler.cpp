#include "kubelet/kubelet_handler.hpp"

#include <strings.h>

#include "kubelet/cadvisor_encoder.hpp"
#include "kubelet/fault_injection.hpp"
#include "kubelet/http_response.hpp"
#include "kubelet/resource_metrics_encoder.hpp"
#include "kubelet/summary_encoder.hpp"

namespace kmetrics::sim {
namespace {

constexpr const char* kTextPlain = "text/plain; charset=utf-8";
constexpr const char* kJson = "application/json";

enum class Route { kResource, kSummary, kCadvisor, kHealthz, kUnknown };

Route route(const std::string& path) {
  if (path == "/metrics/resource") return Route::kResource;
  if (path == "/stats/summary" || path == "/stats/summary/") return Route::kSummary;
  if (path == "/metrics/cadvisor") return Route::kCadvisor;
  if (path == "/healthz") return Route::kHealthz;
  return Route::kUnknown;
}

const char* contentType(Route r) {
  switch (r) {
    case Route::kResource:
    case Route::kCadvisor: return kPrometheusTextContentType;
    case Route::kSummary: return kJson;
    default: return kTextPlain;
  }
}

// The kubelet authorizer's subresource for a path (pkg/kubelet/server/auth.go).
const char* subresource(const std::string& path) {
  if (path.rfind("/stats", 0) == 0) return "stats";
  if (path.rfind("/metrics", 0) == 0) return "metrics";
  return "proxy";
}

std::string bearerToken(const std::string& authorization) {
  if (authorization.size() > 7 && strncasecmp(authorization.data(), "Bearer ", 7) == 0) {
    return authorization.substr(7);
  }
  return {};
}

}  // namespace

KubeletHandler::KubeletHandler(ClusterState& state, FleetModel& model, AuthConfig auth)
    : state_(state), model_(model), auth_(std::move(auth)) {}

void prepareErrorResponse(int status, UnixNanos now, PreparedResponse& out) {
  out = PreparedResponse{};
  ResponseHead head;
  head.status = status;
  head.keep_alive = false;
  head.now = now;
  std::string body = std::to_string(status) + " " + reasonPhrase(status);
  appendResponse(out.bytes, head, body);
  out.close_after = true;
}

void KubeletHandler::prepare(const RequestContext& ctx, PreparedResponse& out, std::string& scratch) const {
  out = PreparedResponse{};
  const HttpRequest& req = ctx.request;
  std::optional<Node> node = state_.node(ctx.node_name);
  const FaultMode mode = node ? node->fault : FaultMode::kNone;
  const FaultDecision fault = decideFault(mode, node ? node->slow_delay_ms : 0, req.path);
  if (fault.action == FaultAction::kHang) {
    out.hang = true;
    return;
  }
  out.delay_ms = fault.action == FaultAction::kDelay ? fault.delay_ms : 0;

  ResponseHead head;
  head.now = ctx.now;
  head.http11 = req.version_minor == 1;
  head.keep_alive = req.keep_alive;
  out.close_after = !req.keep_alive;
  scratch.clear();
  auto finish = [&](int status, const char* type, size_t cut = std::string::npos) {
    head.status = status;
    head.content_type = type;
    appendResponse(out.bytes, head, scratch, cut);
  };

  // Authentication and authorization first, as the kubelet's filter chain does.
  const std::string token = bearerToken(req.authorization);
  if (ctx.client_cert_cn.empty()) {
    if (!auth_.forbidden_token.empty() && token == auth_.forbidden_token) {
      scratch = "Forbidden (user=system:serviceaccount:kube-system:forbidden, verb=" +
                std::string(req.method == "POST" ? "create" : "get") + ", resource=nodes, subresource(s)=[" +
                subresource(req.path) + "])\n";
      return finish(403, kTextPlain);
    }
    if (!auth_.accepted_token.empty() && token != auth_.accepted_token) {
      scratch = "Unauthorized\n";
      return finish(401, kTextPlain);
    }
  }

  const Route r = route(req.path);
  const bool method_ok = req.method == "GET" || (req.method == "POST" && r == Route::kSummary);
  if (!node || r == Route::kUnknown || fault.action == FaultAction::kNotFound) {
    scratch = "404 page not found\n";
    return finish(404, kTextPlain);
  }
  if (!method_ok) {
    scratch = "405 method not allowed\n";
    return finish(405, kTextPlain);
  }
  if (fault.action == FaultAction::kStatus500) {
    scratch = "Internal Server Error\n";
    return finish(500, kTextPlain);
  }
  if (fault.action == FaultAction::kGarbage) {
    scratch = garbageBytes(ctx.request_seq, 256 + ctx.request_seq % 8192);
    return finish(200, contentType(r));
  }

  std::optional<FleetModel::Sample> sample = model_.sample(ctx.node_name, ctx.now);
  if (!sample) {
    scratch = "404 page not found\n";
    return finish(404, kTextPlain);
  }
  SampleContext sc;
  sc.now = ctx.now;
  sc.node_cpu_nanos = sample->node_cpu_nanos;
  sc.nan_values = fault.nan_values;
  switch (r) {
    case Route::kResource: encodeResourceMetrics(*sample->snapshot, sc, scratch); break;
    case Route::kCadvisor: encodeCadvisorMetrics(*sample->snapshot, sc, scratch); break;
    case Route::kSummary: {
      SummaryOptions so;
      so.only_cpu_and_memory = queryParam(req.query, "only_cpu_and_memory") == "true";
      encodeSummary(*sample->snapshot, sc, so, scratch);
      break;
    }
    case Route::kHealthz: scratch = "ok"; break;
    case Route::kUnknown: break;
  }
  if (fault.action == FaultAction::kTruncate) {
    head.keep_alive = true;  // the headers promised a full, persistent response
    out.close_after = out.abort_after = true;
    return finish(200, contentType(r), scratch.size() / 2);
  }
  finish(200, contentType(r));
}

}  // namespace kmetrics::sim
