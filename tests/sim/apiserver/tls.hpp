// Poco::Net TLS contexts built from PEM strings (the PKI keeps material in memory, not files).
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace kmetrics::sim {

// Server context. Client certificates are requested and, when sent, must chain to `client_ca_pem`
// (handshake fails otherwise); a client without a certificate may still authenticate with a token.
// `require_client_cert` makes the certificate mandatory (used by test backends behind the aggregator).
Poco::Net::Context::Ptr makeServerContext(const std::string& cert_pem, const std::string& key_pem,
                                          const std::string& client_ca_pem, bool require_client_cert = false);

// Client context. An empty `ca_pem` means the server certificate is not verified
// (insecureSkipTLSVerify). An empty `cert_pem` means no client certificate.
Poco::Net::Context::Ptr makeClientContext(const std::string& ca_pem, const std::string& cert_pem = "",
                                          const std::string& key_pem = "");

// Calls Poco::Net::initializeSSL() once per process.
void ensureSslInitialized();

}  // namespace kmetrics::sim
