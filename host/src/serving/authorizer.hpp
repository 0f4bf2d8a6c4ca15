// Delegated authorization as metrics-server does it: always-allow paths (non-resource requests
// only; a trailing '*' is a prefix match), the system:masters group, then a SubjectAccessReview
// to the kube-apiserver with allowed and denied results cached for their TTLs.
// THREADING: Authorizer is thread-safe; an AccessReviewer must be callable concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "serving/request_attributes.hpp"
#include "serving/ttl_cache.hpp"
#include "serving/user_info.hpp"

namespace kmetrics {

struct AccessReviewResult {
  bool allowed = false;
  bool denied = false;
  std::string reason;
  std::string evaluation_error;
};

// POSTs a SubjectAccessReview (HttpAccessReviewer in kube_client.hpp) or a test double.
class AccessReviewer {
 public:
  virtual ~AccessReviewer() = default;
  // Throws std::runtime_error when the review could not be made.
  virtual AccessReviewResult review(const UserInfo& user, const RequestAttributes& attrs) = 0;
};

struct AuthorizationOptions {
  std::vector<std::string> always_allow_paths{"/healthz", "/readyz", "/livez"};
  std::chrono::milliseconds authorized_ttl{10000};
  std::chrono::milliseconds unauthorized_ttl{10000};
  std::size_t max_cache_entries = 8192;
};

struct AuthzDecision {
  enum class Kind { allow, deny, error };
  Kind kind = Kind::deny;
  std::string reason;  // SAR reason (appended to the 403 message when non-empty)
  std::string error;   // for error (→ 500)
  bool allowed() const { return kind == Kind::allow; }
};

class Authorizer {
 public:
  // `reviewer` may be null: then only always-allow paths and system:masters are allowed.
  Authorizer(AuthorizationOptions options, std::shared_ptr<AccessReviewer> reviewer);

  AuthzDecision authorize(const UserInfo& user, const RequestAttributes& attrs);
  bool always_allowed(const RequestAttributes& attrs) const;
  std::size_t reviews_made() const { return reviews_.load(); }

 private:
  AuthorizationOptions options_;
  std::shared_ptr<AccessReviewer> reviewer_;
  TtlCache<AccessReviewResult> cache_;
  std::atomic<std::size_t> reviews_{0};
};

}  // namespace kmetrics
