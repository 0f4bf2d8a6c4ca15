// The serving layer's own calls to the kube-apiserver: TokenReview, SubjectAccessReview and the
// extension-apiserver-authentication ConfigMap, as JSON over HTTP(S) with Poco. The app builds an
// ApiClientConfig from its kubeconfig / in-cluster settings (base URL, a Poco client Context with
// the CA and optional client cert, a bearer-token provider that may re-read a rotating file).
// THREADING: every class here is thread-safe; each call opens its own connection (bounded by the
// server's in-flight limit; reviews are cached, so they are rare).
#pragma once

#include <Poco/Net/Context.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "serving/auth_config.hpp"
#include "serving/authorizer.hpp"
#include "serving/token_authn.hpp"

namespace kmetrics {

struct ApiClientConfig {
  std::string base_url;                       // e.g. https://10.96.0.1:443 (http:// allowed for tests)
  Poco::Net::Context::Ptr tls;                // client context for https; required for https
  std::function<std::string()> bearer_token;  // may be empty; called per request
  std::chrono::milliseconds timeout{10000};
  std::size_t max_response_bytes = 4 << 20;
};

class ApiClient {
 public:
  struct Response {
    int status = 0;
    std::string body;
  };
  explicit ApiClient(ApiClientConfig config);  // throws std::invalid_argument for a bad URL
  // Throws std::runtime_error on connection/TLS errors or an oversized body.
  Response request(const std::string& method, const std::string& path, const std::string& json_body = {}) const;

 private:
  ApiClientConfig config_;
  std::string scheme_, host_;
  unsigned short port_ = 0;
  std::string base_path_;
};

class HttpTokenReviewer : public TokenReviewer {
 public:
  explicit HttpTokenReviewer(std::shared_ptr<ApiClient> client, std::vector<std::string> audiences = {});
  TokenReviewResult review(const std::string& token) override;

 private:
  std::shared_ptr<ApiClient> client_;
  std::vector<std::string> audiences_;
};

class HttpAccessReviewer : public AccessReviewer {
 public:
  explicit HttpAccessReviewer(std::shared_ptr<ApiClient> client);
  AccessReviewResult review(const UserInfo& user, const RequestAttributes& attrs) override;

 private:
  std::shared_ptr<ApiClient> client_;
};

class HttpConfigMapSource : public ConfigMapSource {
 public:
  explicit HttpConfigMapSource(std::shared_ptr<ApiClient> client, std::string ns = "kube-system",
                               std::string name = "extension-apiserver-authentication");
  ConfigMapFetch fetch() override;

 private:
  std::shared_ptr<ApiClient> client_;
  std::string ns_, name_;
};

// The JSON bodies, exposed for tests and for a simulated apiserver.
std::string token_review_request_json(const std::string& token, const std::vector<std::string>& audiences);
TokenReviewResult parse_token_review_response(const std::string& body);  // throws std::runtime_error
std::string access_review_request_json(const UserInfo& user, const RequestAttributes& attrs);
AccessReviewResult parse_access_review_response(const std::string& body);  // throws std::runtime_error

}  // namespace kmetrics
