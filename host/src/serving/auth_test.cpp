// Authentication/authorization logic without sockets: config building, the authenticator chain
// against real certificates, caches, always-allow paths, TLS option validation.
#include <gtest/gtest.h>

#include <openssl/ssl.h>

#include "pki/pki.hpp"
#include "serving/auth_config.hpp"
#include "serving/authenticator.hpp"
#include "serving/authorizer.hpp"
#include "serving/request_header_authn.hpp"
#include "serving/tls_context.hpp"
#include "serving/verified_chains.hpp"

namespace kmetrics {
namespace {

using sim::CertificateAuthority;
using sim::CertSpec;

PeerChain chain_of(const sim::KeyPair& kp) {
  PeerChain c;
  auto certs = parse_pem_certs(kp.cert_pem);
  c.leaf = std::move(certs.front());
  return c;
}

sim::KeyPair client_cert(const CertificateAuthority& ca, const std::string& cn, std::vector<std::string> orgs = {}) {
  CertSpec s;
  s.common_name = cn;
  s.organizations = std::move(orgs);
  s.server_auth = false;
  s.client_auth = true;
  return ca.issue(s);
}

struct Pki {
  CertificateAuthority front_proxy = CertificateAuthority::create("front-proxy-ca");
  CertificateAuthority client = CertificateAuthority::create("client-ca");
  CertificateAuthority other = CertificateAuthority::create("other-ca");
};

Pki& pki() {
  static Pki p;
  return p;
}

AuthenticationConfig config_with_both() {
  AuthenticationConfig c;
  c.requestheader_ca = CaBundle::from_pem(pki().front_proxy.certPem());
  c.requestheader_allowed_names = {"front-proxy-client"};
  c.client_ca = CaBundle::from_pem(pki().client.certPem());
  return c;
}

class StubTokens : public TokenReviewer {
 public:
  int calls = 0;
  TokenReviewResult review(const std::string& token) override {
    ++calls;
    TokenReviewResult r;
    if (token == "good") {
      r.authenticated = true;
      r.user.name = "sa";
      r.user.groups = {"system:serviceaccounts"};
    } else {
      r.error = "token expired";
    }
    return r;
  }
};

TEST(RequestHeaderAuthn, TrustsHeadersOnlyFromAllowedFrontProxy) {
  auto cfg = config_with_both();
  RequestHeaders h = {{"X-Remote-User", "alice"}, {"X-Remote-Group", "devs"}, {"x-remote-group", "ops"},
                      {"X-Remote-Group", ""},     {"X-Remote-Extra-Scopes", "a"},
                      {"X-Remote-Extra-Authentication.kubernetes.io%2fpod-Name", "p1"}};
  auto ok = authenticate_request_header(cfg, chain_of(client_cert(pki().front_proxy, "front-proxy-client")), h);
  ASSERT_TRUE(ok.authenticated()) << ok.error;
  EXPECT_EQ(ok.user.name, "alice");
  EXPECT_EQ(ok.user.groups, (std::vector<std::string>{"devs", "ops"}));
  EXPECT_EQ(ok.user.extra["scopes"], std::vector<std::string>{"a"});
  EXPECT_EQ(ok.user.extra["authentication.kubernetes.io/pod-name"], std::vector<std::string>{"p1"});

  auto wrong_cn = authenticate_request_header(cfg, chain_of(client_cert(pki().front_proxy, "intruder")), h);
  EXPECT_EQ(wrong_cn.kind, AuthnResult::Kind::failed);
  EXPECT_EQ(wrong_cn.error, "x509: subject with cn=intruder is not in the allowed list");

  auto other_ca = authenticate_request_header(cfg, chain_of(client_cert(pki().other, "front-proxy-client")), h);
  EXPECT_EQ(other_ca.kind, AuthnResult::Kind::failed);

  EXPECT_EQ(authenticate_request_header(cfg, PeerChain{}, h).kind, AuthnResult::Kind::no_opinion);
  // Valid front proxy without a user header: no opinion.
  EXPECT_EQ(authenticate_request_header(cfg, chain_of(client_cert(pki().front_proxy, "front-proxy-client")), {}).kind,
            AuthnResult::Kind::no_opinion);
  // Empty allowed names: any CN from the CA.
  cfg.requestheader_allowed_names.clear();
  EXPECT_TRUE(authenticate_request_header(cfg, chain_of(client_cert(pki().front_proxy, "anyone")), h).authenticated());
}

TEST(RequestHeaderAuthn, ServerOnlyCertIsRejected) {
  auto cfg = config_with_both();
  CertSpec s;
  s.common_name = "front-proxy-client";
  s.server_auth = true;
  s.client_auth = false;
  auto r = authenticate_request_header(cfg, chain_of(pki().front_proxy.issue(s)), {{"X-Remote-User", "a"}});
  EXPECT_EQ(r.kind, AuthnResult::Kind::failed);
}

TEST(RequestHeaderAuthn, AVerifiedChainIsRememberedAFailedOneIsNot) {
  auto cfg = config_with_both();
  const auto proxy = chain_of(client_cert(pki().front_proxy, "front-proxy-client"));
  const auto stranger = chain_of(client_cert(pki().other, "front-proxy-client"));
  const RequestHeaders h = {{"X-Remote-User", "alice"}};
  const CaBundle& ca = *cfg.requestheader_ca;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(authenticate_request_header(cfg, proxy, h).authenticated());
  }
  EXPECT_EQ(ca.full_verifications(), 1u) << "the front proxy's chain is checked once, then remembered";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(authenticate_request_header(cfg, stranger, h).kind, AuthnResult::Kind::failed);
  }
  EXPECT_EQ(ca.full_verifications(), 4u) << "a chain that failed is checked every time";
  // Another certificate of the same CA is its own entry.
  ASSERT_TRUE(authenticate_request_header(cfg, chain_of(client_cert(pki().front_proxy, "front-proxy-client")), h)
                  .authenticated());
  EXPECT_EQ(ca.full_verifications(), 5u);
}

TEST(VerifiedChains, EntriesEndAtTheTtlOrTheLeafExpiryAndStayBounded) {
  using Clock = VerifiedChains::Clock;
  using std::chrono::seconds;
  VerifiedChains cache(seconds(10), 3);
  const Clock::time_point t0 = Clock::now();
  cache.add("a", t0, t0 + seconds(3600));
  EXPECT_TRUE(cache.contains("a", t0 + seconds(9)));
  EXPECT_FALSE(cache.contains("a", t0 + seconds(10))) << "the TTL ends it";
  cache.add("b", t0, t0 + seconds(2));
  EXPECT_TRUE(cache.contains("b", t0 + seconds(1)));
  EXPECT_FALSE(cache.contains("b", t0 + seconds(2))) << "never past the leaf's notAfter";
  cache.add("expired", t0, t0 - seconds(1));
  EXPECT_FALSE(cache.contains("expired", t0));
  EXPECT_FALSE(cache.contains("unknown", t0));
  cache.add("c", t0 + seconds(15), t0 + seconds(3600));
  cache.add("d", t0 + seconds(20), t0 + seconds(3600));  // full: the expired "a", "b" make room
  EXPECT_TRUE(cache.contains("c", t0 + seconds(21)));
  EXPECT_TRUE(cache.contains("d", t0 + seconds(21)));
  cache.add("e", t0 + seconds(20), t0 + seconds(3600));
  cache.add("f", t0 + seconds(20), t0 + seconds(3600));
  EXPECT_LE(cache.size(), 3u);
}

TEST(Authenticator, ChainOrderAndAnonymous) {
  auto holder = std::make_shared<AuthenticationConfigHolder>(config_with_both());
  auto stub = std::make_shared<StubTokens>();
  Authenticator authn(holder, std::make_shared<TokenAuthenticator>(stub, std::chrono::seconds(10)));

  auto anon = authn.authenticate({}, {});
  ASSERT_TRUE(anon.authenticated());
  EXPECT_EQ(anon.user.name, "system:anonymous");
  EXPECT_EQ(anon.user.groups, std::vector<std::string>{"system:unauthenticated"});

  auto x509 = authn.authenticate(chain_of(client_cert(pki().client, "bob", {"devs", "qa"})), {{"X-Remote-User", "mallory"}});
  ASSERT_TRUE(x509.authenticated());
  EXPECT_EQ(x509.user.name, "bob");
  EXPECT_EQ(x509.user.groups, (std::vector<std::string>{"devs", "qa", "system:authenticated"}));

  auto token = authn.authenticate({}, {{"Authorization", "Bearer good"}});
  ASSERT_TRUE(token.authenticated());
  EXPECT_EQ(token.user.name, "sa");
  authn.authenticate({}, {{"Authorization", "bearer good"}});
  EXPECT_EQ(stub->calls, 1);  // cached

  EXPECT_EQ(authn.authenticate({}, {{"Authorization", "Bearer bad"}}).kind, AuthnResult::Kind::failed);
  // A cert from an unknown CA is an error (401), not anonymous.
  EXPECT_EQ(authn.authenticate(chain_of(client_cert(pki().other, "x")), {}).kind, AuthnResult::Kind::failed);
  // ...unless a later authenticator succeeds.
  EXPECT_TRUE(authn.authenticate(chain_of(client_cert(pki().other, "x")), {{"Authorization", "Bearer good"}}).authenticated());

  auto cfg = config_with_both();
  cfg.anonymous = false;
  holder->set(cfg);
  EXPECT_EQ(authn.authenticate({}, {}).kind, AuthnResult::Kind::failed);
}

TEST(BearerToken, ParsesLikeKubernetes) {
  EXPECT_EQ(bearer_token({{"Authorization", "Bearer abc"}}), "abc");
  EXPECT_EQ(bearer_token({{"authorization", "  bearer abc  "}}), "abc");
  EXPECT_EQ(bearer_token({{"Authorization", "Basic abc"}}), "");
  EXPECT_EQ(bearer_token({{"Authorization", "Bearer"}}), "");
  EXPECT_EQ(bearer_token({}), "");
}

class StubAccess : public AccessReviewer {
 public:
  int calls = 0;
  AccessReviewResult review(const UserInfo& u, const RequestAttributes& a) override {
    ++calls;
    AccessReviewResult r;
    r.allowed = u.name == "alice" && a.resource == "pods";
    if (!r.allowed) r.reason = "no RBAC policy matched";
    return r;
  }
};

TEST(Authorizer, AlwaysAllowMastersAndCaches) {
  auto stub = std::make_shared<StubAccess>();
  AuthorizationOptions opt;
  opt.always_allow_paths = {"/healthz", "/readyz", "/livez", "/debug/*"};
  Authorizer authz(opt, stub);
  UserInfo anon{"system:anonymous", "", {"system:unauthenticated"}, {}};
  EXPECT_TRUE(authz.authorize(anon, request_attributes("GET", "/healthz", "")).allowed());
  EXPECT_TRUE(authz.authorize(anon, request_attributes("GET", "/debug/pprof/heap", "")).allowed());
  EXPECT_FALSE(authz.authorize(anon, request_attributes("GET", "/healthz/x", "")).allowed());
  EXPECT_FALSE(authz.authorize(anon, request_attributes("GET", "/metrics", "")).allowed());
  UserInfo admin{"kube-aggregator", "", {"system:masters"}, {}};
  int before = stub->calls;
  EXPECT_TRUE(authz.authorize(admin, request_attributes("GET", "/apis/metrics.k8s.io/v1beta1", "")).allowed());
  EXPECT_EQ(stub->calls, before);

  UserInfo alice{"alice", "", {"system:authenticated"}, {}};
  auto pods = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/pods", "");
  EXPECT_TRUE(authz.authorize(alice, pods).allowed());
  EXPECT_TRUE(authz.authorize(alice, pods).allowed());
  auto nodes = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/nodes", "");
  auto d = authz.authorize(alice, nodes);
  EXPECT_EQ(d.kind, AuthzDecision::Kind::deny);
  EXPECT_EQ(d.reason, "no RBAC policy matched");
  authz.authorize(alice, nodes);
  EXPECT_EQ(stub->calls, before + 2);  // pods and nodes: each reviewed once, then cached
}

TEST(AuthConfig, FromConfigMapFillsWhatFlagsLeaveUnset) {
  std::map<std::string, std::string> cm = {
      {"client-ca-file", pki().client.certPem()},
      {"requestheader-client-ca-file", pki().front_proxy.certPem()},
      {"requestheader-allowed-names", R"(["front-proxy-client"])"},
      {"requestheader-username-headers", R"(["X-Remote-User"])"},
      {"requestheader-group-headers", R"(["X-Remote-Group"])"},
      {"requestheader-extra-headers-prefix", R"(["X-Remote-Extra-"])"},
      {"requestheader-uid-headers", "[]"},
  };
  AuthenticationFlags flags;
  auto c = build_authentication_config(flags, &cm);
  ASSERT_TRUE(c.client_ca);
  ASSERT_TRUE(c.requestheader_ca);
  EXPECT_EQ(c.requestheader_allowed_names, std::vector<std::string>{"front-proxy-client"});
  EXPECT_EQ(c.requestheader_username_headers, std::vector<std::string>{"X-Remote-User"});

  cm["requestheader-allowed-names"] = "";
  EXPECT_TRUE(build_authentication_config(flags, &cm).requestheader_allowed_names.empty());
  cm["requestheader-allowed-names"] = "front-proxy-client";  // not JSON
  EXPECT_THROW(build_authentication_config(flags, &cm), std::runtime_error);
  cm["requestheader-allowed-names"] = "[]";
  cm["client-ca-file"] = "garbage";
  EXPECT_THROW(build_authentication_config(flags, &cm), std::runtime_error);
}

class MapSource : public ConfigMapSource {
 public:
  ConfigMapFetch next;
  ConfigMapFetch fetch() override { return next; }
};

TEST(AuthConfig, LoaderSwapsOnChangeAndToleratesFailureWhenAsked) {
  auto holder = std::make_shared<AuthenticationConfigHolder>();
  auto src = std::make_shared<MapSource>();
  src->next.ok = false;
  src->next.error = "forbidden";
  AuthenticationFlags flags;
  AuthConfigLoader strict(flags, src, holder);
  EXPECT_THROW(strict.load_initial(), std::runtime_error);
  flags.tolerate_lookup_failure = true;
  AuthConfigLoader loader(flags, src, holder);
  EXPECT_NO_THROW(loader.load_initial());
  EXPECT_FALSE(holder->get()->requestheader_ca);

  src->next = ConfigMapFetch{true, true, {{"requestheader-client-ca-file", pki().front_proxy.certPem()}}, ""};
  EXPECT_TRUE(loader.refresh());
  EXPECT_TRUE(holder->get()->requestheader_ca);
  EXPECT_FALSE(loader.refresh());  // unchanged: no swap
  src->next.ok = false;
  std::string err;
  EXPECT_FALSE(loader.refresh(&err));
  EXPECT_TRUE(holder->get()->requestheader_ca);  // last good config kept
}

TEST(TlsOptions, VersionsAndCipherNames) {
  EXPECT_EQ(resolve_tls_options({}).min_proto_version, TLS1_2_VERSION);
  EXPECT_EQ(resolve_tls_options({"VersionTLS13", {}}).min_proto_version, TLS1_3_VERSION);
  EXPECT_THROW(resolve_tls_options({"TLS12", {}}), std::invalid_argument);
  auto r = resolve_tls_options({"", {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256",
                                     "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"}});
  EXPECT_EQ(r.cipher_list, "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305");
  try {
    resolve_tls_options({"", {"TLS_FOO"}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "Cipher suite TLS_FOO not supported or doesn't exist");
  }
}

TEST(PathUnescape, DecodesPercentEscapes) {
  EXPECT_EQ(path_unescape("a%2fb%2Fc"), "a/b/c");
  EXPECT_EQ(path_unescape("bad%zz%"), "bad%zz%");
}

}  // namespace
}  // namespace kmetrics
