// Client TLS contexts (Poco::Net::Context over OpenSSL) built from in-memory PEM, so kubeconfig
// `*-data` fields and files are handled alike.
//
// Verification: OpenSSL checks the chain against the given CAs *and* the peer identity (the DNS name
// sent as SNI, or the IP address connected to) inside the handshake, before any request byte — and so
// before a bearer token — is sent. Poco's own post-handshake host check and its global
// verification-error event are bypassed: a handler that some other component installs on
// SSLManager can never turn a verification failure into success here.
//
// Thread-safety: the returned context is immutable and may be shared by any number of sessions and
// threads. last_verify_error() is per thread.
#pragma once

#include <string>

#include <Poco/Net/Context.h>

namespace kmetrics::http {

struct TlsSettings {
  bool insecure_skip_verify = false;  // no chain or name check (kubelet --kubelet-insecure-tls)
  std::string ca_pem;                 // PEM bundle of trusted CAs; may hold several certificates
  bool use_system_cas = false;        // also trust the system store (PLAIN profile)
  std::string client_cert_pem;        // leaf first, then intermediates; empty: no client cert
  std::string client_key_pem;
  std::string origin;                 // where the settings came from, for error messages
};

// Throws std::runtime_error("<origin>: CA data: no PEM certificate found", ...) on bad input.
Poco::Net::Context::Ptr make_client_context(const TlsSettings& settings);

// Once per process: OpenSSL and Poco NetSSL initialisation. Called by make_client_context.
void ensure_ssl_initialized();

// True for an IPv4 or IPv6 address literal. The peer identity is then checked against the IP SANs
// and no SNI is sent; any other host goes out as SNI and is checked against the DNS SANs.
bool is_ip_literal(const char* host);

// The verification failure of the last handshake on this thread ("unable to get local issuer
// certificate", "IP address mismatch"), or empty; cleared by clear_last_verify_error().
const std::string& last_verify_error();
void clear_last_verify_error();

}  // namespace kmetrics::http
