#include "serving/secure_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <stdexcept>

#include "serving/request_header_authn.hpp"
#include "serving/self_signed.hpp"
#include "serving/status_response.hpp"

namespace kmetrics {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

struct SecureServer::Impl {
  ServingOptions opt;
  ServingDeps deps;
  std::shared_ptr<CertReloader> certs;
  std::shared_ptr<PeerCertRegistry> peers = std::make_shared<PeerCertRegistry>();
  Poco::Net::Context::Ptr context;
  std::unique_ptr<Poco::ThreadPool> secure_pool, heapster_pool;
  std::unique_ptr<Poco::Net::HTTPServer> secure_http, heapster_http;
  std::atomic<int> inflight{0};
  int secure_port = 0, heapster_port = 0;
  bool started = false;

  void log(int level, const std::string& message) const {
    if (deps.log) deps.log(level, message);
  }
  void serve(kmetrics_listener listener, HTTPServerRequest& req, HTTPServerResponse& resp);
  void register_host_routes();
};

namespace {

void send(HTTPServerResponse& resp, int status, std::string_view content_type, const std::string& body,
          const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  resp.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
  bool has_type = false;
  for (const auto& [n, v] : headers) {
    resp.add(n, v);
    if (iequals(n, "Content-Type")) has_type = true;
  }
  if (!has_type && !content_type.empty()) resp.setContentType(std::string(content_type));
  resp.setContentLength(static_cast<std::streamsize>(body.size()));
  resp.sendBuffer(body.data(), body.size());
}

void send_error(HTTPServerResponse& resp, const HttpError& e,
                const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  send(resp, e.code, "application/json", e.body, headers);
}

// Routes are GET; a body is read and dropped (bounded) so the connection can be reused.
void drain_body(HTTPServerRequest& req, HTTPServerResponse& resp, std::size_t limit) {
  bool has_body = req.getChunkedTransferEncoding() || (req.hasContentLength() && req.getContentLength64() > 0);
  if (!has_body) {
    const std::string& m = req.getMethod();
    if (!req.hasContentLength() && m != "GET" && m != "HEAD" && m != "DELETE" && m != "OPTIONS")
      resp.setKeepAlive(false);  // body delimited by close: never read it
    return;
  }
  std::istream& in = req.stream();
  char buf[8192];
  std::size_t total = 0;
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    total += static_cast<std::size_t>(in.gcount());
    if (total > limit) {
      resp.setKeepAlive(false);
      return;
    }
  }
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(SecureServer::Impl* impl, kmetrics_listener listener) : impl_(impl), listener_(listener) {}
  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) override {
    try {
      impl_->serve(listener_, req, resp);
    } catch (const std::exception& e) {
      impl_->log(KMETRICS_LOG_ERROR, std::string("serving ") + req.getURI() + ": " + e.what());
      if (!resp.sent()) send_error(resp, status_internal_error(e.what()));
    } catch (...) {
      if (!resp.sent()) send_error(resp, status_internal_error("unknown error"));
    }
  }

 private:
  SecureServer::Impl* impl_;
  kmetrics_listener listener_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(SecureServer::Impl* impl, kmetrics_listener listener) : impl_(impl), listener_(listener) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RequestHandler(impl_, listener_);
  }

 private:
  SecureServer::Impl* impl_;
  kmetrics_listener listener_;
};

// Writes through the ABI table, so host routes work with any kmetrics_route_response.
void reply(const kmetrics_route_response& resp, int status, std::string_view type, std::string_view body,
           bool nosniff = false) {
  auto str = [](std::string_view v) { return kmetrics_str{v.data(), v.size()}; };
  resp.set_status(resp.host_ctx, status);
  resp.add_header(resp.host_ctx, str("Content-Type"), str(type));
  if (nosniff) resp.add_header(resp.host_ctx, str("X-Content-Type-Options"), str("nosniff"));
  resp.write_body(resp.host_ctx, str(body));
}

class InflightSlot {
 public:
  InflightSlot(std::atomic<int>& counter, int limit, bool exempt) : counter_(counter) {
    if (exempt || limit <= 0) return;
    taken_ = true;
    if (counter_.fetch_add(1) >= limit) admitted_ = false;
  }
  ~InflightSlot() {
    if (taken_) counter_.fetch_sub(1);
  }
  bool admitted() const { return admitted_; }

 private:
  std::atomic<int>& counter_;
  bool taken_ = false;
  bool admitted_ = true;
};

int socket_fd(HTTPServerRequest& req) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&req);
  if (impl == nullptr) return -1;
  return impl->socket().impl()->sockfd();
}

}  // namespace

void SecureServer::Impl::serve(kmetrics_listener listener, HTTPServerRequest& req, HTTPServerResponse& resp) {
  RouteRequestData data;
  data.method = req.getMethod();
  try {
    // Origin-form targets are split by hand: Poco::URI would read "//host/path" as an authority.
    const std::string& target = req.getURI();
    if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
      Poco::URI uri(target);
      data.path = uri.getPath();
      data.query = uri.getRawQuery();
    } else {
      auto q = target.find('?');
      Poco::URI::decode(target.substr(0, q), data.path);
      if (q != std::string::npos) data.query = target.substr(q + 1);
    }
  } catch (const Poco::Exception&) {
    drain_body(req, resp, opt.max_request_body_bytes);
    send(resp, 400, "text/plain; charset=utf-8", "400 Bad Request");
    return;
  }
  if (data.path.empty()) data.path = "/";
  RequestHeaders headers;
  for (auto it = req.begin(); it != req.end(); ++it) headers.emplace_back(it->first, it->second);
  drain_body(req, resp, opt.max_request_body_bytes);

  UserInfo user;
  bool secure = listener == KMETRICS_LISTENER_SECURE;
  RequestAttributes attrs;
  if (secure) {
    PeerChain peer = peers->lookup(socket_fd(req));
    AuthnResult authn = deps.authenticator->authenticate(peer, headers);
    if (!authn.authenticated()) {
      log(KMETRICS_LOG_DEBUG, "unable to authenticate the request: " + authn.error);
      send_error(resp, status_unauthorized());
      return;
    }
    user = std::move(authn.user);
    // Handlers never see credentials or front-proxy headers (trusted or spoofed).
    auto config = deps.authenticator->config();
    std::erase_if(headers, [&](const auto& h) {
      return iequals(h.first, "Authorization") || is_request_header_name(*config, h.first);
    });
    attrs = request_attributes(data.method, data.path, data.query);
  }

  // Probes and the aggregator (system:masters) are never throttled (APF's exempt level).
  bool probe = secure ? deps.authorizer->always_allowed(attrs)
                      : (data.path == "/healthz" || data.path == "/livez" || data.path == "/readyz");
  InflightSlot slot(inflight, opt.max_requests_inflight, probe || user.in_group(kMastersGroup));
  if (!slot.admitted()) {
    send_error(resp, status_too_many_requests(opt.retry_after_seconds),
               {{"Retry-After", std::to_string(opt.retry_after_seconds)}});
    return;
  }

  if (secure) {
    AuthzDecision d = deps.authorizer->authorize(user, attrs);
    if (d.kind == AuthzDecision::Kind::error) {
      log(KMETRICS_LOG_WARN, "authorization error: " + d.error);
      send_error(resp, status_internal_error(d.error));
      return;
    }
    if (!d.allowed()) {
      std::string msg = forbidden_message(user.name, attrs);
      if (!d.reason.empty()) msg += ": " + d.reason;
      if (attrs.resource_request)
        send_error(resp, status_forbidden(attrs.api_group, attrs.resource, attrs.name, msg));
      else
        send_error(resp, status_forbidden("", "", "", msg));
      return;
    }
  }

  auto route = deps.routes->find(listener, data.path);
  if (!route) {
    send_error(resp, status_not_found());
    return;
  }
  if (!user.anonymous()) data.user = user.name;
  data.groups = user.groups;
  data.headers = std::move(headers);
  kmetrics_route_request abi_req = data.abi();
  ResponseBuffer out(opt.max_response_bytes);
  (*route)(abi_req, out.abi());
  if (out.overflowed()) {
    send_error(resp, status_internal_error("response exceeds " + std::to_string(opt.max_response_bytes) + " bytes"));
    return;
  }
  send(resp, out.status(), out.body().empty() ? "" : "text/plain; charset=utf-8", out.body(), out.headers());
}

void SecureServer::Impl::register_host_routes() {
  if (deps.health) {
    auto health = deps.health;
    RouteFn fn = [health](const kmetrics_route_request& req, const kmetrics_route_response& resp) {
      auto answer = health->handle(std::string_view(req.path.ptr, req.path.len),
                                   std::string_view(req.query.ptr, req.query.len));
      if (!answer) {
        HttpError e = status_not_found();
        reply(resp, e.code, "application/json", e.body);
        return;
      }
      reply(resp, answer->status, "text/plain; charset=utf-8", answer->body, true);
    };
    for (const char* p : {"/livez", "/readyz", "/healthz"}) {
      std::string err;
      if (deps.routes->add(KMETRICS_LISTENER_SECURE, p, fn, &err) != KMETRICS_OK) log(KMETRICS_LOG_WARN, err);
    }
    std::string err;
    if (opt.heapster_port != 0 && deps.routes->add(KMETRICS_LISTENER_HEAPSTER, "/healthz", fn, &err) != KMETRICS_OK)
      log(KMETRICS_LOG_WARN, err);
  }
  if (deps.metrics_text) {
    auto metrics = deps.metrics_text;
    RouteFn fn = [metrics](const kmetrics_route_request& req, const kmetrics_route_response& resp) {
      if (std::string_view(req.path.ptr, req.path.len) != "/metrics") {
        HttpError e = status_not_found();
        reply(resp, e.code, "application/json", e.body);
        return;
      }
      reply(resp, 200, "text/plain; version=0.0.4; charset=utf-8", metrics());
    };
    std::string err;
    if (deps.routes->add(KMETRICS_LISTENER_SECURE, "/metrics", fn, &err) != KMETRICS_OK) log(KMETRICS_LOG_WARN, err);
  }
}

SecureServer::SecureServer(ServingOptions options, ServingDeps deps) : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  impl_->deps = std::move(deps);
  if (!impl_->deps.routes) throw std::invalid_argument("SecureServer: no route registry");
  if (impl_->opt.secure_port != 0 && (!impl_->deps.authenticator || !impl_->deps.authorizer))
    throw std::invalid_argument("SecureServer: the secure listener needs an authenticator and an authorizer");
  if (impl_->opt.tls_cert_file.empty() != impl_->opt.tls_private_key_file.empty())
    throw std::invalid_argument("--tls-cert-file and --tls-private-key-file must be given together");
  impl_->register_host_routes();
}

SecureServer::~SecureServer() { stop(); }

namespace {

int thread_count(const ServingOptions& o) {
  if (o.max_threads > 0) return std::max(2, o.max_threads);
  int n = (o.max_requests_inflight > 0 ? o.max_requests_inflight : 400) + 32;
  return std::min(n, 1024);
}

Poco::Net::HTTPServerParams::Ptr server_params(const ServingOptions& o) {
  Poco::Net::HTTPServerParams::Ptr p = new Poco::Net::HTTPServerParams;
  p->setKeepAlive(true);
  p->setKeepAliveTimeout(Poco::Timespan(o.keep_alive_timeout.count(), 0));
  p->setMaxKeepAliveRequests(o.max_keep_alive_requests);
  p->setTimeout(Poco::Timespan(o.read_timeout.count(), 0));
  p->setMaxThreads(thread_count(o));
  p->setMaxQueued(o.max_queued);
  return p;
}

Poco::Net::SocketAddress address(const std::string& host, int port) {
  return Poco::Net::SocketAddress(host.empty() ? std::string("0.0.0.0") : host,
                                  static_cast<Poco::UInt16>(port < 0 ? 0 : port));
}

}  // namespace

void SecureServer::start() {
  Impl& m = *impl_;
  if (m.started) return;
  Poco::Net::initializeSSL();
  bool need_tls = m.opt.secure_port != 0 || (m.opt.heapster_port != 0 && m.opt.heapster_tls);
  if (need_tls) {
    std::string cert = m.opt.tls_cert_file, key = m.opt.tls_private_key_file;
    if (cert.empty()) {
      SelfSignedRequest req{m.opt.cert_dir, m.opt.self_signed_dns_names, m.opt.self_signed_ip_addresses};
      SelfSignedResult r = ensure_self_signed_cert(req);
      m.log(KMETRICS_LOG_INFO, std::string(r.generated ? "Generated self-signed cert " : "Using self-signed cert ") +
                                   r.cert_file + " " + r.key_file);
      cert = r.cert_file;
      key = r.key_file;
    }
    m.certs = std::make_shared<CertReloader>(cert, key, m.opt.cert_check_interval);
    m.context = make_server_context(m.opt.tls, m.certs, m.peers);
  }
  try {
    if (m.opt.secure_port != 0) {
      Poco::Net::SecureServerSocket socket(address(m.opt.bind_address, m.opt.secure_port), 128, m.context);
      m.secure_port = socket.address().port();
      m.secure_pool = std::make_unique<Poco::ThreadPool>(2, thread_count(m.opt), 60);
      m.secure_http = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(&m, KMETRICS_LISTENER_SECURE),
                                                              *m.secure_pool, socket, server_params(m.opt));
      m.secure_http->start();
    }
    if (m.opt.heapster_port != 0) {
      Poco::Net::SocketAddress addr = address(m.opt.heapster_bind_address, m.opt.heapster_port);
      std::unique_ptr<Poco::Net::ServerSocket> socket;
      if (m.opt.heapster_tls)
        socket = std::make_unique<Poco::Net::SecureServerSocket>(addr, 128, m.context);
      else
        socket = std::make_unique<Poco::Net::ServerSocket>(addr, 128);
      m.heapster_port = socket->address().port();
      m.heapster_pool = std::make_unique<Poco::ThreadPool>(2, thread_count(m.opt), 60);
      m.heapster_http = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(&m, KMETRICS_LISTENER_HEAPSTER),
                                                                *m.heapster_pool, *socket, server_params(m.opt));
      m.heapster_http->start();
    }
  } catch (const Poco::Exception& e) {
    stop();
    throw std::runtime_error("cannot start serving: " + e.displayText());
  }
  m.started = true;
}

void SecureServer::stop() {
  Impl& m = *impl_;
  // Close listeners and idle keep-alive connections, then wait for every handler thread, so no
  // thread can touch this object after stop() returns.
  for (auto* http : {m.secure_http.get(), m.heapster_http.get()})
    if (http) http->stopAll(true);
  for (auto* pool : {m.secure_pool.get(), m.heapster_pool.get()})
    if (pool) pool->joinAll();
  m.secure_http.reset();
  m.heapster_http.reset();
  m.secure_pool.reset();
  m.heapster_pool.reset();
  m.started = false;
}

int SecureServer::secure_port() const { return impl_->secure_http ? impl_->secure_port : 0; }
int SecureServer::heapster_port() const { return impl_->heapster_http ? impl_->heapster_port : 0; }
std::string SecureServer::cert_file() const { return impl_->certs ? impl_->certs->cert_file() : std::string(); }
std::shared_ptr<CertReloader> SecureServer::cert_reloader() const { return impl_->certs; }
int SecureServer::in_flight() const { return impl_->inflight.load(); }

}  // namespace kmetrics
