#include "test_support.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>

#include <array>
#include <cstdio>
#include <istream>
#include <strings.h>

#include "apiserver/tls.hpp"

namespace kmetrics::sim::testing {
namespace {

std::string readAll(std::istream& in) {
  std::string out;
  char buf[8192];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<size_t>(in.gcount()));
  }
  return out;
}

std::unique_ptr<Poco::Net::HTTPSClientSession> open(uint16_t port, const std::string& ca_pem, const Identity& id,
                                                    int timeout_s) {
  auto ctx = makeClientContext(ca_pem, id.cert_pem, id.key_pem);
  auto s = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", port, ctx);
  s->setTimeout(Poco::Timespan(timeout_s, 0));
  return s;
}

void prepare(Poco::Net::HTTPRequest& req, const Identity& id, const std::string& accept) {
  if (!id.token.empty()) req.set("Authorization", "Bearer " + id.token);
  if (!accept.empty()) req.set("Accept", accept);
  req.set("User-Agent", "sim-test");
}

}  // namespace

Response call(uint16_t port, const std::string& ca_pem, const Identity& id, const std::string& method,
              const std::string& path, const std::string& accept, const std::string& body,
              const std::vector<std::pair<std::string, std::string>>& headers) {
  auto s = open(port, ca_pem, id, 15);
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  prepare(req, id, accept);
  for (const auto& [k, v] : headers) req.add(k, v);
  if (!body.empty() || method == "POST") {
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  s->sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = s->receiveResponse(resp);
  Response r;
  r.status = resp.getStatus();
  r.content_type = resp.getContentType();
  for (const auto& [k, v] : resp) r.headers.emplace_back(k, v);
  r.body = readAll(in);
  return r;
}

struct WatchStream::Impl {
  std::unique_ptr<Poco::Net::HTTPSClientSession> session;
  std::istream* in = nullptr;
};

WatchStream::WatchStream(uint16_t port, const std::string& ca_pem, const Identity& id, const std::string& path,
                         const std::string& accept)
    : impl_(std::make_unique<Impl>()) {
  impl_->session = open(port, ca_pem, id, 10);
  Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
  prepare(req, id, accept);
  impl_->session->sendRequest(req);
  Poco::Net::HTTPResponse resp;
  impl_->in = &impl_->session->receiveResponse(resp);
  status_ = resp.getStatus();
  content_type_ = resp.getContentType();
}

WatchStream::~WatchStream() {
  try {
    impl_->session->abort();
  } catch (...) {
  }
}

std::optional<nlohmann::json> WatchStream::next(int timeout_ms) {
  if (ended_) return std::nullopt;
  impl_->session->socket().setReceiveTimeout(Poco::Timespan(0, timeout_ms * 1000));
  try {
    std::string line;
    for (int i = 0; i < 1000; ++i) {
      if (!std::getline(*impl_->in, line)) {
        ended_ = true;
        return std::nullopt;
      }
      if (!line.empty()) return nlohmann::json::parse(line);
    }
  } catch (const Poco::TimeoutException&) {
    impl_->in->clear();
  } catch (const Poco::Exception&) {
    ended_ = true;
  }
  return std::nullopt;
}

std::vector<std::string> SeenRequest::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) out.push_back(v);
  return out;
}

class EchoBackend::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(EchoBackend& b) : b_(b) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    SeenRequest r;
    r.method = req.getMethod();
    r.uri = req.getURI();
    for (const auto& [k, v] : req) r.headers.emplace_back(k, v);
    try {
      auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(req);
      Poco::Net::SecureStreamSocket ss(impl.socket());
      if (ss.havePeerCertificate()) r.peer_cn = ss.peerCertificate().commonName();
    } catch (...) {
    }
    readAll(req.stream());
    b_.record(r);
    int status = 200;
    std::string body;
    std::optional<std::pair<int, std::string>> custom;
    if (b_.responder) custom = b_.responder(r);
    if (custom) {
      status = custom->first;
      body = custom->second;
    } else if (b_.force_status != 0) {
      status = b_.force_status;
      body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forced","code":)" +
             std::to_string(status) + "}";
    } else if (r.uri == "/apis/metrics.k8s.io/v1beta1") {
      body = R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[{"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},{"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]})";
    } else {
      nlohmann::json j{{"uri", r.uri}, {"method", r.method}, {"peer_cn", r.peer_cn}, {"headers", r.headers}};
      body = j.dump();
    }
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    resp.setContentType("application/json");
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send() << body;
  }

 private:
  EchoBackend& b_;
};

namespace {
class EchoFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit EchoFactory(EchoBackend& b) : b_(b) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new EchoBackend::Handler(b_);
  }

 private:
  EchoBackend& b_;
};
}  // namespace

EchoBackend::EchoBackend(const KeyPair& serving, const std::string& client_ca_pem) {
  auto ctx = makeServerContext(serving.cert_pem, serving.key_pem, client_ca_pem, /*require_client_cert=*/true);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, ctx);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setTimeout(Poco::Timespan(10, 0));
  server_ = std::make_unique<Poco::Net::HTTPServer>(new EchoFactory(*this), socket, params);
  server_->start();
}

EchoBackend::~EchoBackend() { server_->stopAll(true); }

void EchoBackend::record(const SeenRequest& r) {
  std::lock_guard lock(mu_);
  seen_.push_back(r);
}

std::vector<SeenRequest> EchoBackend::seen() const {
  std::lock_guard lock(mu_);
  return seen_;
}

void EchoBackend::clear() {
  std::lock_guard lock(mu_);
  seen_.clear();
}

std::pair<int, std::string> run(const std::string& command, int timeout_s) {
  const std::string full = "timeout " + std::to_string(timeout_s) + " " + command + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

CertSpec clientCert(const std::string& cn, std::vector<std::string> orgs) {
  CertSpec s;
  s.common_name = cn;
  s.organizations = std::move(orgs);
  s.server_auth = false;
  s.client_auth = true;
  return s;
}

CertSpec serverCert(const std::string& cn) {
  CertSpec s;
  s.common_name = cn;
  s.dns_sans = {"localhost"};
  s.ip_sans = {"127.0.0.1"};
  return s;
}

}  // namespace kmetrics::sim::testing
