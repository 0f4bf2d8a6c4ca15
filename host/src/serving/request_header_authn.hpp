// Front-proxy (request-header) authentication, as kube-apiserver's aggregator uses it: the
// X-Remote-* headers are trusted only when the connection's client certificate verifies against
// the request-header CA (clientAuth usage) and, when allowed names are configured, its subject CN
// is one of them. SANs are not considered.
// THREADING: stateless; safe from any thread.
#pragma once

#include "serving/auth_config.hpp"
#include "serving/authn_result.hpp"
#include "serving/http_headers.hpp"
#include "serving/peer_certs.hpp"

namespace kmetrics {

// no_opinion: request-header authn off, no client cert, or no user name header.
// failed: a client cert that does not verify, or a CN not in the allowed list.
AuthnResult authenticate_request_header(const AuthenticationConfig& config, const PeerChain& peer,
                                        const RequestHeaders& headers);

// Whether `name` is one of the configured request-header names (user, group or extra prefix); such
// headers are never passed on to route handlers.
bool is_request_header_name(const AuthenticationConfig& config, std::string_view name);

// url.PathUnescape for X-Remote-Extra-<key> keys ("%2f" → "/"); invalid escapes are kept as is.
std::string path_unescape(std::string_view s);

}  // namespace kmetrics
