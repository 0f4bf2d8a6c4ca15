// The delegating authenticator chain of k8s.io/apiserver, in its order: request-header (front
// proxy), x509 client certificate, bearer token (TokenReview), then anonymous. The first success
// wins; when none succeeds and one of them failed (a bad front-proxy cert, a rejected token) the
// request is unauthorized (401) rather than anonymous. `system:authenticated` is added to every
// non-anonymous user.
// THREADING: thread-safe; reads the current AuthenticationConfig per request.
#pragma once

#include <memory>

#include "serving/auth_config.hpp"
#include "serving/authn_result.hpp"
#include "serving/http_headers.hpp"
#include "serving/peer_certs.hpp"
#include "serving/token_authn.hpp"

namespace kmetrics {

class Authenticator {
 public:
  // `tokens` may be null (bearer tokens then have no authenticator and fall through to anonymous).
  Authenticator(std::shared_ptr<AuthenticationConfigHolder> config, std::shared_ptr<TokenAuthenticator> tokens);

  // authenticated, or failed (→ 401). Never no_opinion.
  AuthnResult authenticate(const PeerChain& peer, const RequestHeaders& headers) const;

  std::shared_ptr<const AuthenticationConfig> config() const { return config_->get(); }

 private:
  std::shared_ptr<AuthenticationConfigHolder> config_;
  std::shared_ptr<TokenAuthenticator> tokens_;
};

}  // namespace kmetrics
