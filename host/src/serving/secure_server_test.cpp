// The secure listener end to end over real TLS on 127.0.0.1: front-proxy, client-cert and bearer
// authentication, SubjectAccessReview authorization against an in-test HTTPS apiserver, Status
// bodies, health, /metrics, the heapster listener, and the 429 in-flight limit.
#include <gtest/gtest.h>

#include <openssl/ssl.h>

#include <condition_variable>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "pki/pki.hpp"
#include "serving/kube_client.hpp"
#include "serving/secure_server.hpp"
#include "serving/testing/fake_apiserver.hpp"
#include "serving/testing/tls_client.hpp"

namespace kmetrics {
namespace {

using sim::CertificateAuthority;
using sim::CertSpec;
using testing::ClientOptions;
using testing::https_get;

ClientOptions with_cert(const sim::KeyPair& kp) {
  ClientOptions o;
  o.cert_pem = kp.cert_pem;
  o.key_pem = kp.key_pem;
  return o;
}

sim::KeyPair client_cert(const CertificateAuthority& ca, const std::string& cn, std::vector<std::string> orgs = {}) {
  CertSpec s;
  s.common_name = cn;
  s.organizations = std::move(orgs);
  s.server_auth = false;
  s.client_auth = true;
  return ca.issue(s);
}

// Echoes who the handler saw, and which headers reached it.
void echo_handler(void*, const kmetrics_route_request* req, const kmetrics_route_response* resp) {
  nlohmann::json j;
  j["user"] = std::string(req->user.ptr, req->user.len);
  j["path"] = std::string(req->path.ptr, req->path.len);
  j["query"] = std::string(req->query.ptr, req->query.len);
  for (size_t i = 0; i < req->group_count; ++i) j["groups"].push_back(std::string(req->groups[i].ptr, req->groups[i].len));
  for (size_t i = 0; i < req->header_count; ++i)
    j["headers"].push_back(std::string(req->headers[i].name.ptr, req->headers[i].name.len));
  std::string body = j.dump();
  resp->set_status(resp->host_ctx, 200);
  resp->add_header(resp->host_ctx, {"Content-Type", 12}, {"application/json", 16});
  resp->write_body(resp->host_ctx, {body.data(), body.size()});
}

class SecureServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("kmetrics-serving-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    server_ca_ = new CertificateAuthority(CertificateAuthority::create("serving-ca"));
    front_proxy_ca_ = new CertificateAuthority(CertificateAuthority::create("front-proxy-ca"));
    client_ca_ = new CertificateAuthority(CertificateAuthority::create("client-ca"));
    other_ca_ = new CertificateAuthority(CertificateAuthority::create("other-ca"));
    CertSpec s;
    s.common_name = "localhost";
    s.dns_sans = {"localhost"};
    s.ip_sans = {"127.0.0.1"};
    auto kp = server_ca_->issue(s);
    sim::writeFile(path("apiserver-fake.crt"), kp.cert_pem);
    sim::writeFile(path("apiserver-fake.key"), kp.key_pem, true);
    sim::writeFile(path("apiserver-ca.crt"), server_ca_->certPem());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(dir_);
    delete server_ca_;
    delete front_proxy_ca_;
    delete client_ca_;
    delete other_ca_;
  }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }

  void SetUp() override {
    fake_ = std::make_unique<testing::FakeApiServer>(path("apiserver-fake.crt"), path("apiserver-fake.key"));
    fake_->add_token("alice-token", UserInfo{"alice", "", {"devs"}, {}});
    fake_->allow("alice", "list", "pods");
    fake_->allow("alice", "get", "/apis/metrics.k8s.io/v1beta1");
    fake_->allow("carol", "list", "nodes");

    ApiClientConfig api;
    api.base_url = fake_->base_url();
    api.tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", path("apiserver-ca.crt"),
                                     Poco::Net::Context::VERIFY_RELAXED);
    api.bearer_token = [] { return std::string("kmetrics-sa-token"); };
    auto client = std::make_shared<ApiClient>(api);

    AuthenticationConfig authn_config;
    authn_config.requestheader_ca = CaBundle::from_pem(front_proxy_ca_->certPem());
    authn_config.requestheader_allowed_names = {"front-proxy-client"};
    authn_config.client_ca = CaBundle::from_pem(client_ca_->certPem());
    holder_ = std::make_shared<AuthenticationConfigHolder>(authn_config);

    tokens_ = std::make_shared<TokenAuthenticator>(std::make_shared<HttpTokenReviewer>(client), std::chrono::seconds(10));
    deps_.authenticator = std::make_shared<Authenticator>(holder_, tokens_);
    deps_.authorizer = std::make_shared<Authorizer>(AuthorizationOptions{}, std::make_shared<HttpAccessReviewer>(client));
    deps_.routes = std::make_shared<RouteRegistry>();
    deps_.health = std::make_shared<HealthChecks>();
    deps_.health->add(kReadyz, "metric-storage-ready",
                      [this] { return storage_ready_ ? std::string() : std::string("no metrics to serve"); });
    deps_.metrics_text = [] { return std::string("# TYPE up gauge\nup 1\n"); };
    ASSERT_EQ(deps_.routes->add(KMETRICS_LISTENER_SECURE, "/apis/metrics.k8s.io", echo_handler, nullptr), KMETRICS_OK);
    ASSERT_EQ(deps_.routes->add(KMETRICS_LISTENER_HEAPSTER, "/api/v1/model", echo_handler, nullptr), KMETRICS_OK);

    CertSpec s;
    s.common_name = "metrics-server";
    s.dns_sans = {"localhost", "metrics-server.kube-system.svc"};
    s.ip_sans = {"127.0.0.1"};
    auto serving = server_ca_->issue(s);
    sim::writeFile(path("serving.crt"), serving.cert_pem);
    sim::writeFile(path("serving.key"), serving.key_pem, true);
    options_.bind_address = "127.0.0.1";
    options_.secure_port = -1;
    options_.heapster_bind_address = "127.0.0.1";
    options_.heapster_port = -1;
    options_.tls_cert_file = path("serving.crt");
    options_.tls_private_key_file = path("serving.key");
    options_.cert_check_interval = std::chrono::milliseconds(0);
  }

  void start() {
    server_ = std::make_unique<SecureServer>(options_, deps_);
    server_->start();
    port_ = server_->secure_port();
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    if (server_) server_->stop();
  }

  sim::KeyPair front_proxy() { return client_cert(*front_proxy_ca_, "front-proxy-client"); }

  static inline std::filesystem::path dir_;
  static inline CertificateAuthority *server_ca_, *front_proxy_ca_, *client_ca_, *other_ca_;
  std::unique_ptr<testing::FakeApiServer> fake_;
  std::shared_ptr<AuthenticationConfigHolder> holder_;
  std::shared_ptr<TokenAuthenticator> tokens_;
  ServingDeps deps_;
  ServingOptions options_;
  std::unique_ptr<SecureServer> server_;
  int port_ = 0;
  std::atomic<bool> storage_ready_{true};
};

constexpr const char* kDiscovery = "/apis/metrics.k8s.io/v1beta1";
constexpr const char* kPods = "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods";

TEST_F(SecureServerTest, NoClientCertIsAnonymousAndForbidden) {
  start();
  auto r = https_get(port_, kDiscovery);
  ASSERT_TRUE(r.connected) << r.error;
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"system:anonymous\" cannot get path \"/apis/metrics.k8s.io/v1beta1\"","reason":"Forbidden","details":{},"code":403})"
            "\n");
}

TEST_F(SecureServerTest, NoCredentialsWithAnonymousDisabledIs401) {
  auto cfg = *holder_->get();
  cfg.anonymous = false;
  holder_->set(cfg);
  start();
  auto r = https_get(port_, kDiscovery);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"
            "\n");
}

TEST_F(SecureServerTest, FrontProxyCertWithAllowedCnIsTrusted) {
  start();
  auto r = https_get(port_, kPods + std::string("?labelSelector=app%3Dweb"),
                     {{"X-Remote-User", "alice"}, {"X-Remote-Group", "devs"}, {"X-Remote-Extra-Scopes", "s1"},
                      {"Accept", "application/json"}},
                     with_cert(front_proxy()));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["user"], "alice");
  EXPECT_EQ(j["groups"], nlohmann::json::array({"devs", "system:authenticated"}));
  EXPECT_EQ(j["query"], "labelSelector=app%3Dweb");
  for (const auto& h : j["headers"]) {
    std::string name = h;
    EXPECT_FALSE(name.rfind("X-Remote", 0) == 0) << name;  // never passed to handlers
  }
  // The SAR carried the front-proxy identity and the resource attributes.
  auto sar = nlohmann::json::parse(fake_->last_access_review());
  EXPECT_EQ(sar["spec"]["user"], "alice");
  EXPECT_EQ(sar["spec"]["extra"]["scopes"], nlohmann::json::array({"s1"}));
  EXPECT_EQ(sar["spec"]["resourceAttributes"],
            (nlohmann::json{{"namespace", "default"}, {"verb", "list"}, {"group", "metrics.k8s.io"},
                            {"version", "v1beta1"}, {"resource", "pods"}}));
  EXPECT_EQ(fake_->last_authorization_header(), "Bearer kmetrics-sa-token");
}

TEST_F(SecureServerTest, FrontProxyCertWithOtherCnOrFromOtherCaIsNotTrusted) {
  start();
  RequestHeaders h = {{"X-Remote-User", "alice"}, {"X-Remote-Group", "system:masters"}};
  auto wrong_cn = https_get(port_, kPods, h, with_cert(client_cert(*front_proxy_ca_, "someone-else")));
  EXPECT_EQ(wrong_cn.status, 401) << wrong_cn.body;
  auto other_ca = https_get(port_, kPods, h, with_cert(client_cert(*other_ca_, "front-proxy-client")));
  EXPECT_EQ(other_ca.status, 401) << other_ca.body;
  EXPECT_EQ(fake_->access_reviews(), 0);
}

TEST_F(SecureServerTest, RemoteUserHeaderWithoutCertIsIgnored) {
  start();
  auto r = https_get(port_, kPods, {{"X-Remote-User", "alice"}, {"X-Remote-Group", "system:masters"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find(R"(User \"system:anonymous\" cannot list resource \"pods\")"), std::string::npos) << r.body;
}

TEST_F(SecureServerTest, ClientCaCertAuthenticatesAsCommonName) {
  start();
  auto r = https_get(port_, kPods, {}, with_cert(client_cert(*client_ca_, "alice", {"devs", "qa"})));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["user"], "alice");
  EXPECT_EQ(j["groups"], nlohmann::json::array({"devs", "qa", "system:authenticated"}));
}

TEST_F(SecureServerTest, BearerTokenViaTokenReview) {
  start();
  auto ok = https_get(port_, kPods, {{"Authorization", "Bearer alice-token"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto j = nlohmann::json::parse(ok.body);
  EXPECT_EQ(j["user"], "alice");
  for (const auto& h : j["headers"]) EXPECT_NE(h, "Authorization");
  https_get(port_, kPods, {{"Authorization", "Bearer alice-token"}});
  EXPECT_EQ(fake_->token_reviews(), 1);  // second one from the cache
  EXPECT_EQ(fake_->access_reviews(), 1);

  auto bad = https_get(port_, kPods, {{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(bad.status, 401);
}

TEST_F(SecureServerTest, UserWithoutRightsGetsExactForbidden) {
  fake_->set_deny_reason("");
  start();
  auto r = https_get(port_, "/apis/metrics.k8s.io/v1beta1/nodes", {{"X-Remote-User", "bob"}}, with_cert(front_proxy()));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes.metrics.k8s.io is forbidden: User \"bob\" cannot list resource \"nodes\" in API group \"metrics.k8s.io\" at the cluster scope","reason":"Forbidden","details":{"group":"metrics.k8s.io","kind":"nodes"},"code":403})"
            "\n");
  fake_->set_deny_reason("RBAC: no rule");
  auto with_reason = https_get(port_, "/apis/metrics.k8s.io/v1beta1/nodes/n1", {{"X-Remote-User", "bob"}},
                               with_cert(front_proxy()));
  EXPECT_NE(with_reason.body.find(R"(cannot get resource \"nodes\" in API group \"metrics.k8s.io\" at the cluster scope: RBAC: no rule")"),
            std::string::npos)
      << with_reason.body;
}

TEST_F(SecureServerTest, AggregatorProbeAsSystemMastersNeedsNoReview) {
  start();
  auto r = https_get(port_, kDiscovery,
                     {{"X-Remote-User", "system:kube-aggregator"}, {"X-Remote-Group", "system:masters"}},
                     with_cert(front_proxy()));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(fake_->access_reviews(), 0);
}

TEST_F(SecureServerTest, HealthIsOpenAndMetricsIsAuthorized) {
  start();
  auto ready = https_get(port_, "/readyz?verbose");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "[+]ping ok\n[+]metric-storage-ready ok\nreadyz check passed\n");
  EXPECT_EQ(ready.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(https_get(port_, "/livez").body, "ok");
  EXPECT_EQ(https_get(port_, "/healthz").body, "ok");
  storage_ready_ = false;
  auto failing = https_get(port_, "/readyz");
  EXPECT_EQ(failing.status, 500);
  EXPECT_EQ(failing.body, "[+]ping ok\n[-]metric-storage-ready failed: reason withheld\nreadyz check failed\n");
  // /readyz/<check> is not in the always-allow list (exact paths), like kube-apiserver.
  EXPECT_EQ(https_get(port_, "/readyz/metric-storage-ready").status, 403);
  auto single = https_get(port_, "/readyz/metric-storage-ready",
                          {{"X-Remote-User", "admin"}, {"X-Remote-Group", "system:masters"}}, with_cert(front_proxy()));
  EXPECT_EQ(single.status, 500);
  EXPECT_EQ(single.body, "internal server error: no metrics to serve\n");

  EXPECT_EQ(https_get(port_, "/metrics").status, 403);
  auto metrics = https_get(port_, "/metrics", {{"X-Remote-User", "prom"}, {"X-Remote-Group", "system:masters"}},
                           with_cert(front_proxy()));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body, "# TYPE up gauge\nup 1\n");
  EXPECT_EQ(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(SecureServerTest, PathIsDecodedAndDoubleSlashIsNotAnAuthority) {
  start();
  RequestHeaders masters = {{"X-Remote-User", "a"}, {"X-Remote-Group", "system:masters"}};
  auto r = https_get(port_, "/apis/metrics.k8s.io/v1beta1/namespaces/a%2Db/pods?x=%2F", masters, with_cert(front_proxy()));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["path"], "/apis/metrics.k8s.io/v1beta1/namespaces/a-b/pods");
  EXPECT_EQ(j["query"], "x=%2F");
  EXPECT_EQ(https_get(port_, "//evil/apis/metrics.k8s.io/v1beta1", masters, with_cert(front_proxy())).status, 404);
}

TEST_F(SecureServerTest, UnknownPathIs404Status) {
  start();
  auto r = https_get(port_, "/apis/other.k8s.io/v1", {{"X-Remote-User", "a"}, {"X-Remote-Group", "system:masters"}},
                     with_cert(front_proxy()));
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find(R"("reason":"NotFound")"), std::string::npos);
}

TEST_F(SecureServerTest, HeapsterListenerIsPlainWithoutAuthn) {
  start();
  ClientOptions plain;
  plain.tls = false;
  auto r = testing::http_request(server_->heapster_port(), "GET", "/api/v1/model/nodes", {}, plain);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(nlohmann::json::parse(r.body)["user"], "");
  EXPECT_EQ(testing::http_request(server_->heapster_port(), "GET", "/healthz", {}, plain).body, "ok");
  EXPECT_EQ(testing::http_request(server_->heapster_port(), "GET", "/apis/metrics.k8s.io", {}, plain).status, 404);
}

TEST_F(SecureServerTest, RefusesTls11AndAcceptsTls12And13) {
  start();
  ClientOptions old;
  old.min_version = old.max_version = TLS1_1_VERSION;
  old.security_level_0 = true;  // so the refusal is the server's, not the client's
  auto r = https_get(port_, "/livez", {}, old);
  EXPECT_FALSE(r.connected);
  old.min_version = old.max_version = TLS1_VERSION;
  EXPECT_FALSE(https_get(port_, "/livez", {}, old).connected);
  ClientOptions v12;
  v12.min_version = v12.max_version = TLS1_2_VERSION;
  EXPECT_EQ(https_get(port_, "/livez", {}, v12).body, "ok");
  ClientOptions v13;
  v13.min_version = TLS1_3_VERSION;
  EXPECT_EQ(https_get(port_, "/livez", {}, v13).body, "ok");
}

TEST_F(SecureServerTest, MinVersionTls13RefusesTls12) {
  options_.tls.min_version = "VersionTLS13";
  start();
  ClientOptions v12;
  v12.max_version = TLS1_2_VERSION;
  EXPECT_FALSE(https_get(port_, "/livez", {}, v12).connected);
  EXPECT_EQ(https_get(port_, "/livez").body, "ok");
}

TEST_F(SecureServerTest, RotatedCertificateIsServedWithoutRestart) {
  start();
  auto before = https_get(port_, "/livez");
  ASSERT_TRUE(before.connected);
  CertSpec s;
  s.common_name = "metrics-server-rotated";
  s.dns_sans = {"localhost"};
  s.ip_sans = {"127.0.0.1"};
  auto next = server_ca_->issue(s);
  // Replace atomically (write + rename), key first, as kubelet/cert-manager mounts do.
  sim::writeFile(path("serving.key.new"), next.key_pem, true);
  sim::writeFile(path("serving.crt.new"), next.cert_pem);
  std::filesystem::rename(path("serving.key.new"), path("serving.key"));
  std::filesystem::rename(path("serving.crt.new"), path("serving.crt"));
  auto after = https_get(port_, "/livez");
  ASSERT_TRUE(after.connected) << after.error;
  EXPECT_NE(after.server_cert_serial, before.server_cert_serial);
  auto expected = parse_pem_certs(next.cert_pem);
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(after.server_cert_pem, cert_to_pem(expected[0].get()));
  EXPECT_EQ(server_->cert_reloader()->reload_count(), 1u);
}

TEST_F(SecureServerTest, HalfRotatedPairKeepsServingTheOldCertificate) {
  start();
  auto before = https_get(port_, "/livez");
  CertSpec s;
  s.common_name = "half";
  auto next = server_ca_->issue(s);
  sim::writeFile(path("serving.crt"), next.cert_pem);  // key not replaced yet: mismatch
  auto during = https_get(port_, "/livez");
  ASSERT_TRUE(during.connected) << during.error;
  EXPECT_EQ(during.server_cert_serial, before.server_cert_serial);
  sim::writeFile(path("serving.key"), next.key_pem, true);
  auto after = https_get(port_, "/livez");
  EXPECT_NE(after.server_cert_serial, before.server_cert_serial);
}

// A handler that holds requests until released, to fill the in-flight slots.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  int waiting = 0;
};

void gated_handler(void* user, const kmetrics_route_request*, const kmetrics_route_response* resp) {
  auto* gate = static_cast<Gate*>(user);
  std::unique_lock lock(gate->mu);
  ++gate->waiting;
  gate->cv.notify_all();
  gate->cv.wait_for(lock, std::chrono::seconds(20), [gate] { return gate->open; });
  resp->write_body(resp->host_ctx, {"done", 4});
}

TEST_F(SecureServerTest, BeyondMaxInflightAnswers429) {
  Gate gate;
  ASSERT_EQ(deps_.routes->add(KMETRICS_LISTENER_SECURE, "/apis/metrics.k8s.io/v1beta1/namespaces/slow", gated_handler, &gate),
            KMETRICS_OK);
  fake_->allow("alice", "list", "pods");
  options_.max_requests_inflight = 2;
  start();
  auto alice = with_cert(client_cert(*client_ca_, "alice"));
  const std::string slow = "/apis/metrics.k8s.io/v1beta1/namespaces/slow/pods";
  auto a = std::async(std::launch::async, [&] { return https_get(port_, slow, {}, alice); });
  auto b = std::async(std::launch::async, [&] { return https_get(port_, slow, {}, alice); });
  {
    std::unique_lock lock(gate.mu);
    ASSERT_TRUE(gate.cv.wait_for(lock, std::chrono::seconds(10), [&] { return gate.waiting == 2; }));
  }
  EXPECT_EQ(server_->in_flight(), 2);
  auto third = https_get(port_, kPods, {}, alice);
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.headers["retry-after"], "1");
  EXPECT_NE(third.body.find(R"("message":"Too many requests, please try again later.","reason":"TooManyRequests")"),
            std::string::npos)
      << third.body;
  // Probes and system:masters are never throttled.
  EXPECT_EQ(https_get(port_, "/readyz").status, 200);
  {
    std::lock_guard lock(gate.mu);
    gate.open = true;
  }
  gate.cv.notify_all();
  EXPECT_EQ(a.get().body, "done");
  EXPECT_EQ(b.get().body, "done");
  EXPECT_EQ(server_->in_flight(), 0);
  EXPECT_EQ(https_get(port_, kPods, {}, alice).status, 200);
}

TEST_F(SecureServerTest, ConfigMapSwapEnablesFrontProxyAtRuntime) {
  holder_->set(AuthenticationConfig{});  // nothing trusted yet
  start();
  RequestHeaders h = {{"X-Remote-User", "alice"}};
  EXPECT_EQ(https_get(port_, kPods, h, with_cert(front_proxy())).status, 403);  // anonymous

  fake_->set_configmap(std::map<std::string, std::string>{
      {"requestheader-client-ca-file", front_proxy_ca_->certPem()},
      {"requestheader-allowed-names", R"(["front-proxy-client"])"},
      {"requestheader-username-headers", R"(["X-Remote-User"])"},
      {"requestheader-group-headers", R"(["X-Remote-Group"])"},
      {"requestheader-extra-headers-prefix", R"(["X-Remote-Extra-"])"},
      {"client-ca-file", client_ca_->certPem()}});
  ApiClientConfig api;
  api.base_url = fake_->base_url();
  api.tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", path("apiserver-ca.crt"),
                                   Poco::Net::Context::VERIFY_RELAXED);
  AuthConfigLoader loader(AuthenticationFlags{}, std::make_shared<HttpConfigMapSource>(std::make_shared<ApiClient>(api)),
                          holder_);
  ASSERT_TRUE(loader.refresh());
  EXPECT_EQ(https_get(port_, kPods, h, with_cert(front_proxy())).status, 200);
}

TEST_F(SecureServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  // Three pipelined requests on one TLS connection; only the last one asks to close.
  std::string req = "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto r = testing::exchange(port_, req);
  ASSERT_TRUE(r.connected) << r.error;
  std::size_t count = 0;
  for (auto pos = r.raw.find("HTTP/1.1 200"); pos != std::string::npos; pos = r.raw.find("HTTP/1.1 200", pos + 1)) ++count;
  EXPECT_EQ(count, 3u) << r.raw;
}

TEST_F(SecureServerTest, ApiClientTalksToTheServer) {
  start();
  ApiClientConfig api;
  api.base_url = "https://127.0.0.1:" + std::to_string(port_);
  api.tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", path("apiserver-ca.crt"),
                                   Poco::Net::Context::VERIFY_RELAXED);
  ApiClient client(api);
  EXPECT_EQ(client.request("GET", "/livez").body, "ok");
  EXPECT_EQ(client.request("POST", "/healthz", "{}").body, "ok");  // a body is read and dropped
}

TEST_F(SecureServerTest, MinVersionTls10AllowsTls11) {
  options_.tls.min_version = "VersionTLS10";
  start();
  ClientOptions old;
  old.min_version = old.max_version = TLS1_1_VERSION;
  old.security_level_0 = true;
  auto r = https_get(port_, "/livez", {}, old);
  ASSERT_TRUE(r.connected) << r.error;
  EXPECT_EQ(r.version, "TLSv1.1");
  EXPECT_EQ(r.body, "ok");
}

TEST_F(SecureServerTest, CipherSuitesRestrictTls12) {
  // The serving key is EC P-256, so only ECDSA suites can be negotiated.
  options_.tls.cipher_suites = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"};
  start();
  ClientOptions v12;
  v12.max_version = TLS1_2_VERSION;
  auto r = https_get(port_, "/livez", {}, v12);
  ASSERT_TRUE(r.connected) << r.error;
  EXPECT_EQ(r.cipher, "ECDHE-ECDSA-AES256-GCM-SHA384");
}

}  // namespace
}  // namespace kmetrics
