#include "serving/testing/fake_apiserver.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <nlohmann/json.hpp>

namespace kmetrics::testing {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

struct FakeApiServer::Impl {
  Poco::Net::Context::Ptr context;
  std::unique_ptr<Poco::ThreadPool> pool = std::make_unique<Poco::ThreadPool>(2, 16);
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeApiServer* owner) : owner_(owner) {}
  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) override;

 private:
  FakeApiServer* owner_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeApiServer* owner) : owner_(owner) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new Handler(owner_); }

 private:
  FakeApiServer* owner_;
};

void reply(HTTPServerResponse& resp, int status, const std::string& body) {
  resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  resp.setContentType("application/json");
  resp.setContentLength(static_cast<std::streamsize>(body.size()));
  resp.sendBuffer(body.data(), body.size());
}

}  // namespace

// Friend access goes through this struct so the handler can read the owner's tables.
struct FakeApiServerAccess {
  static void handle(FakeApiServer* s, HTTPServerRequest& req, HTTPServerResponse& resp) {
    std::string body;
    Poco::StreamCopier::copyToString(req.stream(), body);
    {
      std::lock_guard lock(s->mu_);
      s->last_auth_ = req.get("Authorization", "");
    }
    const std::string& path = req.getURI();
    if (req.getMethod() == "POST" && path == "/apis/authentication.k8s.io/v1/tokenreviews") {
      s->token_reviews_++;
      auto in = nlohmann::json::parse(body);
      std::string token = in["spec"]["token"];
      nlohmann::json out = in;
      std::lock_guard lock(s->mu_);
      auto it = s->tokens_.find(token);
      if (it == s->tokens_.end()) {
        out["status"] = {{"user", nlohmann::json::object()}, {"error", "invalid bearer token"}};
      } else {
        nlohmann::json user = {{"username", it->second.name}, {"uid", "uid-" + it->second.name}};
        if (!it->second.groups.empty()) user["groups"] = it->second.groups;
        out["status"] = {{"authenticated", true}, {"user", user}};
      }
      reply(resp, 201, out.dump());
      return;
    }
    if (req.getMethod() == "POST" && path == "/apis/authorization.k8s.io/v1/subjectaccessreviews") {
      s->access_reviews_++;
      auto in = nlohmann::json::parse(body);
      const auto& spec = in["spec"];
      std::string what = spec.contains("resourceAttributes") ? spec["resourceAttributes"].value("resource", "")
                                                             : spec["nonResourceAttributes"].value("path", "");
      std::string verb = spec.contains("resourceAttributes") ? spec["resourceAttributes"].value("verb", "")
                                                             : spec["nonResourceAttributes"].value("verb", "");
      std::lock_guard lock(s->mu_);
      s->last_sar_ = body;
      bool allowed = s->allowed_.count({spec.value("user", ""), verb, what}) > 0;
      nlohmann::json out = in;
      out["status"] = {{"allowed", allowed}};
      if (!allowed && !s->deny_reason_.empty()) out["status"]["reason"] = s->deny_reason_;
      reply(resp, 201, out.dump());
      return;
    }
    if (req.getMethod() == "GET" && path == "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication") {
      std::lock_guard lock(s->mu_);
      if (!s->configmap_) {
        reply(resp, 404, R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404})");
        return;
      }
      nlohmann::json cm = {{"kind", "ConfigMap"}, {"apiVersion", "v1"},
                           {"metadata", {{"name", "extension-apiserver-authentication"}, {"namespace", "kube-system"}}},
                           {"data", *s->configmap_}};
      reply(resp, 200, cm.dump());
      return;
    }
    reply(resp, 404, R"({"kind":"Status","code":404})");
  }
};

void Handler::handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) {
  try {
    FakeApiServerAccess::handle(owner_, req, resp);
  } catch (const std::exception& e) {
    if (!resp.sent()) reply(resp, 500, std::string("{\"error\":\"") + e.what() + "\"}");
  }
}

FakeApiServer::FakeApiServer(const std::string& cert_file, const std::string& key_file) : impl_(std::make_unique<Impl>()) {
  Poco::Net::initializeSSL();
  impl_->context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key_file, cert_file, "",
                                         Poco::Net::Context::VERIFY_NONE);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, impl_->context);
  impl_->port = socket.address().port();
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), *impl_->pool, socket,
                                                          new Poco::Net::HTTPServerParams);
  impl_->server->start();
}

FakeApiServer::~FakeApiServer() {
  impl_->server->stopAll(true);
  impl_->pool->joinAll();  // no handler may touch this object after it is gone
}

int FakeApiServer::port() const { return impl_->port; }

void FakeApiServer::add_token(const std::string& token, UserInfo user) {
  std::lock_guard lock(mu_);
  tokens_[token] = std::move(user);
}
void FakeApiServer::allow(const std::string& user, const std::string& verb, const std::string& what) {
  std::lock_guard lock(mu_);
  allowed_.insert({user, verb, what});
}
void FakeApiServer::set_deny_reason(const std::string& reason) {
  std::lock_guard lock(mu_);
  deny_reason_ = reason;
}
void FakeApiServer::set_configmap(std::optional<std::map<std::string, std::string>> data) {
  std::lock_guard lock(mu_);
  configmap_ = std::move(data);
}
std::string FakeApiServer::last_access_review() const {
  std::lock_guard lock(mu_);
  return last_sar_;
}
std::string FakeApiServer::last_authorization_header() const {
  std::lock_guard lock(mu_);
  return last_auth_;
}

}  // namespace kmetrics::testing
