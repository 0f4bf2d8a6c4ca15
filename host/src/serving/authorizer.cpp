#include "serving/authorizer.hpp"

#include <nlohmann/json.hpp>

namespace kmetrics {
namespace {

std::string cache_key(const UserInfo& u, const RequestAttributes& a) {
  nlohmann::json j = {{"u", u.name}, {"i", u.uid}, {"g", u.groups}, {"e", u.extra}, {"r", a.resource_request},
                      {"v", a.verb},  {"p", a.resource_request ? std::string() : a.path},
                      {"ag", a.api_group}, {"av", a.api_version}, {"n", a.namespace_},
                      {"rs", a.resource}, {"sr", a.subresource}, {"nm", a.name}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Authorizer::Authorizer(AuthorizationOptions options, std::shared_ptr<AccessReviewer> reviewer)
    : options_(std::move(options)), reviewer_(std::move(reviewer)), cache_(options_.max_cache_entries) {}

bool Authorizer::always_allowed(const RequestAttributes& a) const {
  if (a.resource_request) return false;
  for (const auto& p : options_.always_allow_paths) {
    if (!p.empty() && p.back() == '*') {
      if (a.path.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0) return true;
    } else if (a.path == p) {
      return true;
    }
  }
  return false;
}

AuthzDecision Authorizer::authorize(const UserInfo& user, const RequestAttributes& attrs) {
  if (always_allowed(attrs) || user.in_group(kMastersGroup)) return {AuthzDecision::Kind::allow, {}, {}};
  if (!reviewer_) return {AuthzDecision::Kind::deny, {}, {}};
  std::string key = cache_key(user, attrs);
  std::optional<AccessReviewResult> r = cache_.get(key);
  if (!r) {
    try {
      reviews_.fetch_add(1);
      r = reviewer_->review(user, attrs);
    } catch (const std::exception& e) {
      return {AuthzDecision::Kind::error, {}, e.what()};
    }
    if (r->allowed && r->denied) return {AuthzDecision::Kind::error, {}, "SubjectAccessReview both allowed and denied"};
    cache_.put(key, *r, r->allowed ? options_.authorized_ttl : options_.unauthorized_ttl);
  }
  if (r->allowed && !r->denied) return {AuthzDecision::Kind::allow, r->reason, {}};
  return {AuthzDecision::Kind::deny, r->reason, {}};
}

}  // namespace kmetrics
