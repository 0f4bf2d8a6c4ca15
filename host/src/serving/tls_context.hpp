// The server-side TLS context: minimum version and cipher suites from metrics-server's flag values,
// the serving certificate served per handshake from a CertReloader (so rotation needs no restart),
// and client certificates requested but not required nor verified by OpenSSL: the authenticators
// verify them against the right CA (request-header CA or client CA) themselves.
// THREADING: make_server_context is thread-safe; the returned Context is shared by all connections.
#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <string>
#include <vector>

#include "serving/cert_reloader.hpp"
#include "serving/peer_certs.hpp"

namespace kmetrics {

struct TlsServerOptions {
  std::string min_version;                 // "" = VersionTLS12; VersionTLS10..VersionTLS13
  std::vector<std::string> cipher_suites;  // Go/IANA names; empty = Go-like ECDHE AEAD defaults
};

struct ResolvedTls {
  int min_proto_version = 0;  // TLS1_2_VERSION, ...
  std::string cipher_list;    // OpenSSL TLS <= 1.2 cipher string
};

// Validates the option values with Kubernetes' wording; throws std::invalid_argument, e.g.
// "Cipher suite TLS_FOO not supported or doesn't exist". TLS 1.3 suite names are accepted and
// ignored, as Go does (TLS 1.3 suites are not configurable there).
ResolvedTls resolve_tls_options(const TlsServerOptions& options);

// A server Context using `certs` for every handshake and recording peer chains into `peers`.
// Throws std::invalid_argument for bad options, Poco::Exception for OpenSSL setup failures.
Poco::Net::Context::Ptr make_server_context(const TlsServerOptions& options, std::shared_ptr<CertReloader> certs,
                                            std::shared_ptr<PeerCertRegistry> peers);

}  // namespace kmetrics
