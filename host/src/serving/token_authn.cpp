#include "serving/token_authn.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace kmetrics {
namespace {

// The cache never holds raw tokens.
std::string token_key(const std::string& token) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(token.data(), token.size(), md, &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), n);
}

}  // namespace

std::string bearer_token(const RequestHeaders& headers) {
  auto values = header_values(headers, "Authorization");
  if (values.empty()) return {};
  std::string_view auth = values.front();
  while (!auth.empty() && (auth.front() == ' ' || auth.front() == '\t')) auth.remove_prefix(1);
  while (!auth.empty() && (auth.back() == ' ' || auth.back() == '\t')) auth.remove_suffix(1);
  auto space = auth.find(' ');
  if (space == std::string_view::npos || !iequals(auth.substr(0, space), "bearer")) return {};
  std::string_view token = auth.substr(space + 1);
  auto end = token.find(' ');  // SplitN(auth, " ", 3): the token is the second field only
  if (end != std::string_view::npos) token = token.substr(0, end);
  return std::string(token);
}

TokenAuthenticator::TokenAuthenticator(std::shared_ptr<TokenReviewer> reviewer, std::chrono::milliseconds cache_ttl,
                                       std::size_t max_cache_entries)
    : reviewer_(std::move(reviewer)), ttl_(cache_ttl), cache_(max_cache_entries) {
  if (!reviewer_) throw std::invalid_argument("TokenAuthenticator: no reviewer");
}

AuthnResult TokenAuthenticator::authenticate(const RequestHeaders& headers) {
  std::string token = bearer_token(headers);
  if (token.empty()) return AuthnResult::none();
  std::string key = token_key(token);
  std::optional<TokenReviewResult> result = cache_.get(key);
  if (!result) {
    try {
      reviews_.fetch_add(1);
      result = reviewer_->review(token);
    } catch (const std::exception& e) {
      return AuthnResult::fail(std::string("token review failed: ") + e.what());
    }
    cache_.put(key, *result, ttl_);
  }
  if (!result->authenticated || result->user.name.empty())
    return AuthnResult::fail(result->error.empty() ? "invalid bearer token" : result->error);
  return AuthnResult::ok(result->user, "token");
}

}  // namespace kmetrics
