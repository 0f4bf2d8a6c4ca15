#include "serving/client_cert_authn.hpp"

namespace kmetrics {

AuthnResult authenticate_client_cert(const AuthenticationConfig& config, const PeerChain& peer) {
  if (!config.client_ca || config.client_ca->size() == 0 || !peer.leaf) return AuthnResult::none();
  std::string why = config.client_ca->verify_client(peer.leaf.get(), peer.intermediates);
  if (!why.empty()) return AuthnResult::fail("verifying certificate: " + why);
  UserInfo user;
  user.name = subject_cn(peer.leaf.get());
  if (user.name.empty()) return AuthnResult::none();  // CommonNameUserConversion: no CN, no user
  user.groups = subject_orgs(peer.leaf.get());
  return AuthnResult::ok(std::move(user), "x509");
}

}  // namespace kmetrics
