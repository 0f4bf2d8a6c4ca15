// Test-only kube-apiserver stand-in over HTTPS (Poco): answers TokenReview, SubjectAccessReview and
// GET of the extension-apiserver-authentication ConfigMap from tables the test fills, and counts
// the calls. Lets the shipped HttpTokenReviewer/HttpAccessReviewer/HttpConfigMapSource be tested
// over the wire.
// THREADING: thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "serving/user_info.hpp"

namespace kmetrics::testing {

class FakeApiServer {
 public:
  FakeApiServer(const std::string& cert_file, const std::string& key_file);
  ~FakeApiServer();

  int port() const;
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port()); }

  void add_token(const std::string& token, UserInfo user);
  // SAR: allowed when (user, verb, resource or non-resource path) was allowed.
  void allow(const std::string& user, const std::string& verb, const std::string& resource_or_path);
  void set_deny_reason(const std::string& reason);
  void set_configmap(std::optional<std::map<std::string, std::string>> data);  // nullopt → 404

  int token_reviews() const { return token_reviews_.load(); }
  int access_reviews() const { return access_reviews_.load(); }
  std::string last_access_review() const;
  std::string last_authorization_header() const;

  struct Impl;

 private:
  friend struct Impl;
  friend struct FakeApiServerAccess;
  std::unique_ptr<Impl> impl_;
  mutable std::mutex mu_;
  std::map<std::string, UserInfo> tokens_;
  std::set<std::tuple<std::string, std::string, std::string>> allowed_;
  std::string deny_reason_;
  std::optional<std::map<std::string, std::string>> configmap_;
  std::string last_sar_, last_auth_;
  std::atomic<int> token_reviews_{0}, access_reviews_{0};
};

}  // namespace kmetrics::testing
