#include "serving/authenticator.hpp"

#include <stdexcept>

#include "serving/client_cert_authn.hpp"
#include "serving/request_header_authn.hpp"

namespace kmetrics {
namespace {

AuthnResult with_authenticated_group(AuthnResult r) {
  for (const auto& g : r.user.groups)
    if (g == kAuthenticatedGroup || g == kUnauthenticatedGroup) return r;
  r.user.groups.push_back(kAuthenticatedGroup);
  return r;
}

}  // namespace

Authenticator::Authenticator(std::shared_ptr<AuthenticationConfigHolder> config,
                             std::shared_ptr<TokenAuthenticator> tokens)
    : config_(std::move(config)), tokens_(std::move(tokens)) {
  if (!config_) throw std::invalid_argument("Authenticator: no config holder");
}

AuthnResult Authenticator::authenticate(const PeerChain& peer, const RequestHeaders& headers) const {
  auto config = config_->get();
  std::string errors;
  auto note = [&](const AuthnResult& r) {
    if (r.kind == AuthnResult::Kind::failed) errors += (errors.empty() ? "" : "; ") + r.error;
  };

  AuthnResult r = authenticate_request_header(*config, peer, headers);
  if (r.authenticated()) return with_authenticated_group(std::move(r));
  note(r);
  r = authenticate_client_cert(*config, peer);
  if (r.authenticated()) return with_authenticated_group(std::move(r));
  note(r);
  if (tokens_) {
    r = tokens_->authenticate(headers);
    if (r.authenticated()) return with_authenticated_group(std::move(r));
    note(r);
  }
  if (!errors.empty()) return AuthnResult::fail(errors);
  if (!config->anonymous) return AuthnResult::fail("no credentials and anonymous access is disabled");
  UserInfo anonymous;
  anonymous.name = kAnonymousUser;
  anonymous.groups = {kUnauthenticatedGroup};
  return AuthnResult::ok(std::move(anonymous), "anonymous");
}

}  // namespace kmetrics
