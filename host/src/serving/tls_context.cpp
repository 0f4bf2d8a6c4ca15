#include "serving/tls_context.hpp"

#include <openssl/ssl.h>

#include <map>
#include <stdexcept>

namespace kmetrics {
namespace {

// Go's crypto/tls names (as accepted by --tls-cipher-suites) to OpenSSL names.
const std::map<std::string, std::string>& go_cipher_names() {
  static const std::map<std::string, std::string> names = {
      {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
      {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
      {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
      {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "ECDHE-RSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
      {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
      {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256"},
      {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256"},
      {"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA"},
      {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
      {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
      {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
      {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
      {"TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256"},
      {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "ECDHE-ECDSA-RC4-SHA"},
      {"TLS_ECDHE_RSA_WITH_RC4_128_SHA", "ECDHE-RSA-RC4-SHA"},
      {"TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA"},
  };
  return names;
}

bool is_tls13_suite(const std::string& name) {
  return name == "TLS_AES_128_GCM_SHA256" || name == "TLS_AES_256_GCM_SHA384" ||
         name == "TLS_CHACHA20_POLY1305_SHA256";
}

// Go 1.22+ server defaults for TLS 1.2: ECDHE only, AEAD first, then the CBC-SHA1 suites.
constexpr const char* kDefaultCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA";

// What the SSL_CTX callbacks need; owned by the SSL_CTX through ex_data and freed with it, so a
// handshake can never outlive the reloader it reads.
struct CallbackState {
  std::shared_ptr<CertReloader> certs;
  std::shared_ptr<PeerCertRegistry> peers;
};

void free_state(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<CallbackState*>(ptr); }

int state_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_state);
  return index;
}

CallbackState* state_of(const SSL* ssl) {
  return static_cast<CallbackState*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), state_index()));
}

int serve_current_cert(SSL* ssl, void*) {
  CallbackState* state = state_of(ssl);
  if (state == nullptr) return 0;
  auto pair = state->certs->current();
  STACK_OF(X509)* chain = sk_X509_new_null();
  for (const auto& c : pair->chain) sk_X509_push(chain, c.get());  // SSL_use_cert_and_key up-refs
  int ok = SSL_use_cert_and_key(ssl, pair->leaf.get(), pair->key.get(), chain, 1);
  sk_X509_free(chain);
  return ok == 1 ? 1 : 0;
}

// Requested, never enforced here: the authenticators decide what a client certificate is worth.
int accept_any_client_cert(int, X509_STORE_CTX*) { return 1; }

void on_info(const SSL* ssl, int where, int) {
  CallbackState* state = state_of(ssl);
  if (state == nullptr || !state->peers) return;
  if (where & SSL_CB_HANDSHAKE_START) state->peers->handshake_started(SSL_get_fd(ssl));
  if (where & SSL_CB_HANDSHAKE_DONE) state->peers->handshake_done(ssl);
}

}  // namespace

ResolvedTls resolve_tls_options(const TlsServerOptions& options) {
  ResolvedTls out;
  const std::string& v = options.min_version;
  if (v.empty() || v == "VersionTLS12")
    out.min_proto_version = TLS1_2_VERSION;
  else if (v == "VersionTLS10")
    out.min_proto_version = TLS1_VERSION;
  else if (v == "VersionTLS11")
    out.min_proto_version = TLS1_1_VERSION;
  else if (v == "VersionTLS13")
    out.min_proto_version = TLS1_3_VERSION;
  else
    throw std::invalid_argument("unknown tls version \"" + v +
                                "\", must be one of: VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13");
  if (options.cipher_suites.empty()) {
    out.cipher_list = kDefaultCiphers;
  } else {
    for (const auto& name : options.cipher_suites) {
      if (is_tls13_suite(name)) continue;
      auto it = go_cipher_names().find(name);
      if (it == go_cipher_names().end())
        throw std::invalid_argument("Cipher suite " + name + " not supported or doesn't exist");
      if (!out.cipher_list.empty()) out.cipher_list += ':';
      out.cipher_list += it->second;
    }
    // Only TLS 1.3 names given: TLS 1.2 keeps the defaults, as Go would.
    if (out.cipher_list.empty()) out.cipher_list = kDefaultCiphers;
  }
  // OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 handshake signatures) above security level 0; an operator
  // who asked for them gets them, as with Go.
  if (out.min_proto_version < TLS1_2_VERSION) out.cipher_list += ":@SECLEVEL=0";
  return out;
}

Poco::Net::Context::Ptr make_server_context(const TlsServerOptions& options, std::shared_ptr<CertReloader> certs,
                                            std::shared_ptr<PeerCertRegistry> peers) {
  if (!certs) throw std::invalid_argument("make_server_context: no certificate source");
  ResolvedTls tls = resolve_tls_options(options);
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // Poco's own checks stay off
  params.loadDefaultCAs = false;
  params.cipherList = tls.cipher_list;
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  SSL_CTX* ctx = context->sslContext();

  SSL_CTX_set_min_proto_version(ctx, tls.min_proto_version);
  if (SSL_CTX_set_cipher_list(ctx, tls.cipher_list.c_str()) != 1)
    throw std::invalid_argument("no usable cipher suite in " + tls.cipher_list + ": " + openssl_error());
  // Resumed sessions carry no fresh client chain to record; every connection does a full handshake.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_client_cert);

  auto* state = new CallbackState{std::move(certs), std::move(peers)};
  if (SSL_CTX_set_ex_data(ctx, state_index(), state) != 1) {
    delete state;
    throw std::runtime_error("SSL_CTX_set_ex_data failed");
  }
  SSL_CTX_set_cert_cb(ctx, serve_current_cert, nullptr);
  SSL_CTX_set_info_callback(ctx, on_info);
  return context;
}

}  // namespace kmetrics
