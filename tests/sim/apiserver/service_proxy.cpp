// The apiserver's service proxy for the legacy heapster API:
// /api/v1/namespaces/kube-system/services/{heapster|http:heapster:[port]}/proxy/<path> -> plain HTTP
// to the configured heapster backend (old Dashboard and `kubectl top` before 1.10 went this way).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <cctype>
#include <istream>

#include "apiserver/http_util.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool isHeapster(const std::string& svc) {
  // name, scheme:name:, scheme:name:port, name:port
  if (svc == "heapster" || svc == "http:heapster:") return true;
  if (svc.rfind("http:heapster:", 0) == 0 || svc.rfind("heapster:", 0) == 0) return true;
  return false;
}

std::string verbFor(const std::string& method) {
  if (method == "GET" || method == "HEAD") return "get";
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return "delete";
  return lower(method);
}

// The raw (still-encoded) path after the n-th segment of the request URI.
std::string rawRest(const std::string& uri, size_t segments) {
  std::string path = uri.substr(0, uri.find('?'));
  size_t pos = 0;
  for (size_t i = 0; i < segments && pos != std::string::npos; ++i) pos = path.find('/', pos + 1);
  if (pos == std::string::npos) return "/";
  return path.substr(pos);
}

}  // namespace

void handleServiceProxy(ServerCore& core, RequestCtx& ctx, const std::string& service, size_t rest_index) {
  RequestAttributes a{true, verbFor(ctx.method), "", "v1", "services", "proxy", "kube-system", service, ""};
  if (!authorizeOrForbid(core, ctx, a)) return;
  if (!isHeapster(service)) {
    sendStatus(ctx.resp, 404, "NotFound", "services \"" + service + "\" not found",
               Json{{"name", service}, {"kind", "services"}});
    return;
  }
  std::string backend;
  {
    std::lock_guard lock(core.mu);
    backend = core.heapster_backend;
  }
  if (backend.empty()) {
    sendStatus(ctx.resp, 503, "ServiceUnavailable", "no endpoints available for service \"heapster\"");
    return;
  }
  std::string target = rawRest(ctx.req.getURI(), rest_index);
  if (!ctx.raw_query.empty()) target += "?" + ctx.raw_query;
  try {
    Poco::URI uri(backend);
    Poco::Net::HTTPClientSession s(uri.getHost(), uri.getPort());
    s.setTimeout(Poco::Timespan(30, 0));
    s.setKeepAlive(false);
    std::string body;
    if (ctx.method != "GET" && ctx.method != "HEAD") body = readBody(ctx.req, 16 << 20);
    Poco::Net::HTTPRequest out(ctx.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : ctx.req) {
      const std::string n = lower(k);
      if (n == "authorization" || n == "host" || n == "connection" || n == "content-length" ||
          n == "transfer-encoding" || n == "keep-alive")
        continue;
      out.add(k, v);
    }
    out.setHost(uri.getHost(), uri.getPort());
    if (!body.empty()) out.setContentLength(static_cast<std::streamsize>(body.size()));
    s.sendRequest(out).write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse in_resp;
    std::istream& in = s.receiveResponse(in_resp);
    std::string rbody;
    char buf[16384];
    while (in) {
      in.read(buf, sizeof buf);
      rbody.append(buf, static_cast<size_t>(in.gcount()));
      if (rbody.size() > (64u << 20)) throw std::runtime_error("heapster response too large");
    }
    ctx.resp.setStatusAndReason(in_resp.getStatus(), in_resp.getReason());
    for (const auto& [k, v] : in_resp) {
      const std::string n = lower(k);
      if (n == "connection" || n == "transfer-encoding" || n == "content-length" || n == "keep-alive") continue;
      ctx.resp.add(k, v);
    }
    ctx.resp.setContentLength(static_cast<std::streamsize>(rbody.size()));
    ctx.resp.send().write(rbody.data(), static_cast<std::streamsize>(rbody.size()));
  } catch (const Poco::Exception& e) {
    if (!ctx.resp.sent())
      sendStatus(ctx.resp, 503, "ServiceUnavailable", "error trying to reach service: " + e.displayText());
  } catch (const std::exception& e) {
    if (!ctx.resp.sent())
      sendStatus(ctx.resp, 503, "ServiceUnavailable", std::string("error trying to reach service: ") + e.what());
  }
}

}  // namespace kmetrics::sim
