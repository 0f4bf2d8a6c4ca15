// x509 client-certificate authentication against --client-ca-file (or the ConfigMap's
// client-ca-file): user = subject CN, groups = subject O values.
// THREADING: stateless; safe from any thread.
#pragma once

#include "serving/auth_config.hpp"
#include "serving/authn_result.hpp"
#include "serving/peer_certs.hpp"

namespace kmetrics {

// no_opinion: client CA not configured, no client cert, or an empty CN.
// failed: the certificate does not verify against the client CA.
AuthnResult authenticate_client_cert(const AuthenticationConfig& config, const PeerChain& peer);

}  // namespace kmetrics
