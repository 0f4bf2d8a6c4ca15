// Bearer-token authentication delegated to the kube-apiserver through TokenReview, with results
// cached by token hash for --authentication-token-webhook-cache-ttl (both outcomes; transport errors
// are not cached).
// THREADING: TokenAuthenticator is thread-safe; a TokenReviewer must be callable concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "serving/authn_result.hpp"
#include "serving/http_headers.hpp"
#include "serving/ttl_cache.hpp"

namespace kmetrics {

struct TokenReviewResult {
  bool authenticated = false;
  UserInfo user;
  std::string error;  // status.error when not authenticated
};

// POSTs a TokenReview (HttpTokenReviewer in kube_client.hpp) or a test double.
class TokenReviewer {
 public:
  virtual ~TokenReviewer() = default;
  // Throws std::runtime_error when the review could not be made (network, non-2xx status).
  virtual TokenReviewResult review(const std::string& token) = 0;
};

// "Bearer <token>" from the Authorization header, as k8s bearertoken does; "" when absent.
std::string bearer_token(const RequestHeaders& headers);

class TokenAuthenticator {
 public:
  TokenAuthenticator(std::shared_ptr<TokenReviewer> reviewer, std::chrono::milliseconds cache_ttl,
                     std::size_t max_cache_entries = 4096);

  // no_opinion without a bearer token; failed for a rejected token or a review error.
  AuthnResult authenticate(const RequestHeaders& headers);
  std::size_t reviews_made() const { return reviews_.load(); }

 private:
  std::shared_ptr<TokenReviewer> reviewer_;
  std::chrono::milliseconds ttl_;
  TtlCache<TokenReviewResult> cache_;
  std::atomic<std::size_t> reviews_{0};
};

}  // namespace kmetrics
