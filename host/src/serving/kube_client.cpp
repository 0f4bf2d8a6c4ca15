#include "serving/kube_client.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>
#include <nlohmann/json.hpp>

#include <istream>
#include <stdexcept>

namespace kmetrics {
namespace {

using ordered = nlohmann::ordered_json;

std::string read_bounded(std::istream& in, std::size_t limit) {
  std::string out;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > limit) throw std::runtime_error("response larger than limit");
  }
  return out;
}

UserInfo user_from_json(const nlohmann::json& u) {
  UserInfo user;
  user.name = u.value("username", "");
  user.uid = u.value("uid", "");
  if (u.contains("groups") && u["groups"].is_array()) user.groups = u["groups"].get<std::vector<std::string>>();
  if (u.contains("extra") && u["extra"].is_object())
    for (auto& [k, v] : u["extra"].items())
      if (v.is_array()) user.extra[k] = v.get<std::vector<std::string>>();
  return user;
}

}  // namespace

ApiClient::ApiClient(ApiClientConfig config) : config_(std::move(config)) {
  Poco::URI uri(config_.base_url);
  scheme_ = uri.getScheme();
  host_ = uri.getHost();
  port_ = uri.getPort();
  base_path_ = uri.getPath();
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
  if ((scheme_ != "https" && scheme_ != "http") || host_.empty())
    throw std::invalid_argument("apiserver URL must be http(s)://host[:port]: " + config_.base_url);
  if (scheme_ == "https" && !config_.tls) throw std::invalid_argument("https apiserver URL needs a TLS context");
}

ApiClient::Response ApiClient::request(const std::string& method, const std::string& path,
                                       const std::string& json_body) const {
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (scheme_ == "https")
      session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, config_.tls);
    else
      session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
    session->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(config_.timeout).count()));
    Poco::Net::HTTPRequest req(method, base_path_ + path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Accept", "application/json");
    if (config_.bearer_token) {
      std::string token = config_.bearer_token();
      if (!token.empty()) req.set("Authorization", "Bearer " + token);
    }
    if (!json_body.empty()) {
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(json_body.size()));
    }
    std::ostream& out = session->sendRequest(req);
    out << json_body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session->receiveResponse(resp);
    Response r;
    r.status = static_cast<int>(resp.getStatus());
    r.body = read_bounded(in, config_.max_response_bytes);
    return r;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(method + " " + config_.base_url + path + ": " + e.displayText());
  }
}

std::string token_review_request_json(const std::string& token, const std::vector<std::string>& audiences) {
  ordered j;
  j["kind"] = "TokenReview";
  j["apiVersion"] = "authentication.k8s.io/v1";
  j["metadata"] = {{"creationTimestamp", nullptr}};
  j["spec"] = {{"token", token}};
  if (!audiences.empty()) j["spec"]["audiences"] = audiences;
  j["status"] = {{"user", ordered::object()}};
  return j.dump();
}

TokenReviewResult parse_token_review_response(const std::string& body) {
  try {
    auto j = nlohmann::json::parse(body);
    TokenReviewResult r;
    const auto& status = j.at("status");
    r.authenticated = status.value("authenticated", false);
    r.error = status.value("error", "");
    if (status.contains("user") && status["user"].is_object()) r.user = user_from_json(status["user"]);
    return r;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("bad TokenReview response: ") + e.what());
  }
}

std::string access_review_request_json(const UserInfo& user, const RequestAttributes& a) {
  ordered spec;
  if (a.resource_request) {
    ordered ra;
    if (!a.namespace_.empty()) ra["namespace"] = a.namespace_;
    ra["verb"] = a.verb;
    ra["group"] = a.api_group;
    ra["version"] = a.api_version;
    ra["resource"] = a.resource;
    if (!a.subresource.empty()) ra["subresource"] = a.subresource;
    if (!a.name.empty()) ra["name"] = a.name;
    spec["resourceAttributes"] = ra;
  } else {
    spec["nonResourceAttributes"] = {{"path", a.path}, {"verb", a.verb}};
  }
  spec["user"] = user.name;
  if (!user.groups.empty()) spec["groups"] = user.groups;
  if (!user.extra.empty()) spec["extra"] = user.extra;
  if (!user.uid.empty()) spec["uid"] = user.uid;
  ordered j;
  j["kind"] = "SubjectAccessReview";
  j["apiVersion"] = "authorization.k8s.io/v1";
  j["metadata"] = {{"creationTimestamp", nullptr}};
  j["spec"] = spec;
  j["status"] = {{"allowed", false}};
  return j.dump();
}

AccessReviewResult parse_access_review_response(const std::string& body) {
  try {
    auto j = nlohmann::json::parse(body);
    const auto& status = j.at("status");
    AccessReviewResult r;
    r.allowed = status.value("allowed", false);
    r.denied = status.value("denied", false);
    r.reason = status.value("reason", "");
    r.evaluation_error = status.value("evaluationError", "");
    return r;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("bad SubjectAccessReview response: ") + e.what());
  }
}

HttpTokenReviewer::HttpTokenReviewer(std::shared_ptr<ApiClient> client, std::vector<std::string> audiences)
    : client_(std::move(client)), audiences_(std::move(audiences)) {}

TokenReviewResult HttpTokenReviewer::review(const std::string& token) {
  auto r = client_->request("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                            token_review_request_json(token, audiences_));
  if (r.status != 200 && r.status != 201)
    throw std::runtime_error("TokenReview: HTTP " + std::to_string(r.status));
  return parse_token_review_response(r.body);
}

HttpAccessReviewer::HttpAccessReviewer(std::shared_ptr<ApiClient> client) : client_(std::move(client)) {}

AccessReviewResult HttpAccessReviewer::review(const UserInfo& user, const RequestAttributes& attrs) {
  auto r = client_->request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                            access_review_request_json(user, attrs));
  if (r.status != 200 && r.status != 201)
    throw std::runtime_error("SubjectAccessReview: HTTP " + std::to_string(r.status));
  return parse_access_review_response(r.body);
}

HttpConfigMapSource::HttpConfigMapSource(std::shared_ptr<ApiClient> client, std::string ns, std::string name)
    : client_(std::move(client)), ns_(std::move(ns)), name_(std::move(name)) {}

ConfigMapFetch HttpConfigMapSource::fetch() {
  ConfigMapFetch out;
  try {
    auto r = client_->request("GET", "/api/v1/namespaces/" + ns_ + "/configmaps/" + name_);
    if (r.status == 404) {
      out.ok = true;
      return out;
    }
    if (r.status != 200) {
      out.error = "HTTP " + std::to_string(r.status);
      return out;
    }
    auto j = nlohmann::json::parse(r.body);
    if (j.contains("data") && j["data"].is_object())
      for (auto& [k, v] : j["data"].items())
        if (v.is_string()) out.data[k] = v.get<std::string>();
    out.ok = out.found = true;
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace kmetrics
