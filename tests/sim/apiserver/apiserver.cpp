#include "apiserver/apiserver.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/ThreadPool.h>
#include <openssl/x509.h>

#include <algorithm>
#include <iostream>

#include "apiserver/http_util.hpp"
#include "apiserver/server_core.hpp"
#include "apiserver/tls.hpp"

namespace kmetrics::sim {
namespace {

// CN = user, every O = group, from the verified client certificate (if the client sent one).
std::optional<UserInfo> userFromPeerCertificate(Poco::Net::HTTPServerRequest& req) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&req);
  if (impl == nullptr) return std::nullopt;
  try {
    Poco::Net::SecureStreamSocket ss(impl->socket());
    if (!ss.havePeerCertificate()) return std::nullopt;
    Poco::Net::X509Certificate cert = ss.peerCertificate();
    X509_NAME* name = X509_get_subject_name(const_cast<X509*>(cert.certificate()));
    auto entries = [&](int nid) {
      std::vector<std::string> out;
      for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0; i = X509_NAME_get_index_by_NID(name, nid, i)) {
        ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                         static_cast<size_t>(ASN1_STRING_length(s)));
      }
      return out;
    };
    auto cns = entries(NID_commonName);
    if (cns.empty()) return std::nullopt;
    return Authenticator::fromCertificate(cns.front(), entries(NID_organizationName));
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::string verbFor(const RequestCtx& ctx, bool named) {
  const std::string& m = ctx.method;
  if (m == "GET" || m == "HEAD") {
    auto w = ctx.query.find("watch");
    if (w != ctx.query.end() && (w->second == "true" || w->second == "1")) return "watch";
    return named ? "get" : "list";
  }
  if (m == "POST") return "create";
  if (m == "PUT") return "update";
  if (m == "PATCH") return "patch";
  if (m == "DELETE") return named ? "delete" : "deletecollection";
  return "unknown";
}

// Request attributes for a path under /apis/<g>/<v>/ (the aggregated API).
RequestAttributes aggregatedAttributes(const RequestCtx& ctx) {
  const auto& s = ctx.segments;
  RequestAttributes a;
  if (s.size() <= 3) {
    a.resource_request = false;
    a.verb = ctx.method == "GET" ? "get" : "unknown";
    a.path = ctx.path;
    return a;
  }
  a.api_group = s[1];
  a.api_version = s[2];
  size_t i = 3;
  if (s[i] == "namespaces" && s.size() > i + 2) {
    a.ns = s[i + 1];
    i += 2;
  }
  a.resource = s[i];
  if (s.size() > i + 1) a.name = s[i + 1];
  if (s.size() > i + 2) a.subresource = s[i + 2];
  a.verb = verbFor(ctx, !a.name.empty());
  return a;
}

}  // namespace

ServerCore::ServerCore(ClusterState& s, ApiServerConfig c)
    : state(s),
      config(std::move(c)),
      store(s),
      aggregator(config.front_proxy_client, config.probe_interval_ms),
      heapster_backend(config.heapster_backend) {
  authz.addDefaults(config.kmetrics_user);
}

bool authorizeOrForbid(ServerCore& core, RequestCtx& ctx, const RequestAttributes& a) {
  auto d = core.authz.authorize(ctx.user.name, ctx.user.groups, a);
  if (d.allowed) return true;
  Json details = nullptr;
  if (a.resource_request) {
    details = Json::object();
    if (!a.name.empty()) details["name"] = a.name;
    if (!a.api_group.empty()) details["group"] = a.api_group;
    details["kind"] = a.resource;
  }
  sendStatus(ctx.resp, 403, "Forbidden", forbiddenMessage(ctx.user.name, a, d.reason), details);
  return false;
}

namespace {

void dispatch(ServerCore& core, RequestCtx& ctx) {
  const auto& s = ctx.segments;
  if (s.empty()) {
    if (!authorizeOrForbid(core, ctx, RequestAttributes{false, "get", "", "", "", "", "", "", "/"})) return;
    sendJson(ctx.resp, 200, Json{{"paths", Json::array({"/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz",
                                                        "/version"})}});
    return;
  }
  if (s.size() == 1 && (s[0] == "healthz" || s[0] == "livez" || s[0] == "readyz")) {
    if (!authorizeOrForbid(core, ctx, RequestAttributes{false, "get", "", "", "", "", "", "", ctx.path})) return;
    sendText(ctx.resp, 200, "ok");
    return;
  }
  if (s[0] == "sim") return handleControl(core, ctx);
  // Aggregated API: /apis/<group>/<version>[/...] of a registered APIService goes to its backend.
  if (s[0] == "apis" && s.size() >= 3) {
    if (auto svc = core.aggregator.serviceFor(s[1], s[2])) {
      if (!authorizeOrForbid(core, ctx, aggregatedAttributes(ctx))) return;
      core.aggregator.proxy(ctx.req, ctx.resp, ctx.user, *svc, ctx.req.getURI().substr(0, ctx.req.getURI().find('?')),
                            ctx.raw_query);
      return;
    }
  }
  if (isDiscoveryPath(ctx)) {
    if (ctx.method != "GET" && ctx.method != "HEAD") {
      sendStatus(ctx.resp, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
      return;
    }
    if (!authorizeOrForbid(core, ctx, RequestAttributes{false, "get", "", "", "", "", "", "", ctx.path})) return;
    handleDiscovery(core, ctx);
    return;
  }
  if (s[0] == "api" && s.size() >= 3 && s[1] == "v1") return handleCore(core, ctx);
  if (s[0] == "apis" && s.size() >= 4 && (s[1] == "authentication.k8s.io" || s[1] == "authorization.k8s.io"))
    return handleReviews(core, ctx);
  if (s[0] == "apis" && s.size() >= 4 && s[1] == "apiregistration.k8s.io") return handleApiServices(core, ctx);
  sendStatus(ctx.resp, 404, "NotFound", "the server could not find the requested resource");
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(ServerCore& core) : core_(core) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    RequestCtx ctx{req, resp, req.getMethod(), "", "", {}, {}, req.get("Accept", ""), {}};
    try {
      const std::string& uri = req.getURI();
      const size_t qpos = uri.find('?');
      ctx.path = pathUnescape(uri.substr(0, qpos));
      ctx.raw_query = qpos == std::string::npos ? "" : uri.substr(qpos + 1);
      ctx.query = parseQuery(ctx.raw_query);
      ctx.segments = splitPath(ctx.path);
      if (!authenticate(ctx)) {
        sendStatus(resp, 401, "Unauthorized", "Unauthorized");
      } else {
        dispatch(core_, ctx);
      }
    } catch (const Poco::Exception& e) {
      fail(ctx, e.displayText());
    } catch (const std::exception& e) {
      fail(ctx, e.what());
    }
    if (core_.config.log_requests) {
      std::cerr << "sim-apiserver: " << ctx.user.name << " " << req.getMethod() << " " << req.getURI() << " -> "
                << static_cast<int>(resp.getStatus()) << " accept=\"" << ctx.accept << "\"\n";
    }
  }

 private:
  bool authenticate(RequestCtx& ctx) {
    if (auto u = userFromPeerCertificate(ctx.req)) {
      ctx.user = *u;
      return true;
    }
    const std::string auth = ctx.req.get("Authorization", "");
    if (!auth.empty()) {
      if (auth.rfind("Bearer ", 0) != 0) return false;
      auto u = core_.authn.authenticateToken(auth.substr(7));
      if (!u) return false;
      ctx.user = *u;
      return true;
    }
    ctx.user = UserInfo{"system:anonymous", "", {"system:unauthenticated"}, {}};
    return true;
  }

  void fail(RequestCtx& ctx, const std::string& what) {
    if (!ctx.resp.sent()) {
      try {
        sendStatus(ctx.resp, 500, "InternalError", "Internal error occurred: " + what);
      } catch (...) {
      }
    }
  }

  ServerCore& core_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ServerCore& core) : core_(core) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(core_);
  }

 private:
  ServerCore& core_;
};

}  // namespace

struct ApiServer::Impl {
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

ApiServer::ApiServer(ClusterState& state, ApiServerConfig config)
    : core_(std::make_unique<ServerCore>(state, std::move(config))), impl_(std::make_unique<Impl>()) {
  const ApiServerConfig& c = core_->config;
  core_->authn.addToken("kmetrics-token", serviceAccountUser("kube-system", "kmetrics"));
  if (!c.metrics_backend.empty()) {
    core_->aggregator.registerService(
        ApiServiceSpec{"v1beta1.metrics.k8s.io", "metrics.k8s.io", "v1beta1", c.metrics_backend, c.metrics_backend_ca_pem});
  }
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() {
  if (impl_->started) return;
  const ApiServerConfig& c = core_->config;
  auto ctx = makeServerContext(c.serving.cert_pem, c.serving.key_pem, c.client_ca_pem);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(c.bind_address, c.port), 128, ctx);
  impl_->port = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(c.max_threads);
  params->setMaxQueued(256);
  params->setTimeout(Poco::Timespan(30, 0));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(30, 0));
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, c.max_threads + 4, 60);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*core_), *impl_->pool, socket, params);
  impl_->server->start();
  core_->aggregator.start();
  impl_->started = true;
}

void ApiServer::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  core_->stopping = true;
  core_->store.wakeAll();
  impl_->server->stopAll(true);
  impl_->pool->joinAll();
  core_->aggregator.stop();
}

uint16_t ApiServer::port() const { return impl_->port; }
std::string ApiServer::url() const { return "https://127.0.0.1:" + std::to_string(impl_->port); }
Authenticator& ApiServer::authenticator() { return core_->authn; }
Authorizer& ApiServer::authorizer() { return core_->authz; }
Aggregator& ApiServer::aggregator() { return core_->aggregator; }
ObjectStore& ApiServer::store() { return core_->store; }

void ApiServer::expireWatches(const std::string& resource, bool http_410) {
  {
    std::lock_guard lock(core_->mu);
    if (resource.empty() || resource == "nodes") core_->expire_pending["nodes"] = http_410;
    if (resource.empty() || resource == "pods") core_->expire_pending["pods"] = http_410;
    ++core_->watch_generation;
  }
  core_->store.wakeAll();
}

}  // namespace kmetrics::sim
