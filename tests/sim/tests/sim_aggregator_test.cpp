// The aggregation layer: APIService availability, mutual TLS with the front-proxy certificate,
// identity headers, Authorization stripped, query re-encoding, 503 while unavailable; and the heapster
// service proxy.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "apiserver/aggregator.hpp"
#include "apiserver/apiserver.hpp"
#include "test_support.hpp"

using namespace kmetrics::sim;
using namespace kmetrics::sim::testing;
using nlohmann::json;

namespace {

UnixNanos nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class AggregatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = std::make_unique<CertificateAuthority>(CertificateAuthority::create("ca"));
    front_ = std::make_unique<CertificateAuthority>(CertificateAuthority::create("front-proxy-ca"));
    state_ = std::make_unique<ClusterState>(nowNanos());
    ClusterSpec spec;
    spec.nodes = 2;
    spec.pods_per_node = 2;
    state_->populate(spec, nowNanos());
    // The backend stands in for kmetrics: its own serving cert, requires the front-proxy client cert.
    backend_ = std::make_unique<EchoBackend>(ca_->issue(serverCert("kmetrics")), front_->certPem());
    ApiServerConfig cfg;
    cfg.serving = ca_->issue(serverCert("kube-apiserver"));
    cfg.client_ca_pem = ca_->certPem();
    cfg.front_proxy_ca_pem = front_->certPem();
    cfg.front_proxy_client = front_->issue(clientCert("aggregator"));
    cfg.metrics_backend = backend_->url();
    cfg.probe_interval_ms = 150;
    api_ = std::make_unique<ApiServer>(*state_, cfg);
    api_->authenticator().addToken("viewer-token", UserInfo{"viewer", "", {"team-x"}, {}});
    UserInfo extra{"alice", "", {"system:masters"}, {{"authentication.kubernetes.io/pod-name", {"p1", "p2"}}}};
    api_->authenticator().addToken("extra-token", extra);
    api_->start();
    auto kp = ca_->issue(clientCert("admin", {"system:masters"}));
    admin_ = Identity{kp.cert_pem, kp.key_pem, ""};
    auto nk = ca_->issue(clientCert("nobody"));
    nobody_ = Identity{nk.cert_pem, nk.key_pem, ""};
  }
  void TearDown() override {
    api_->stop();
    backend_.reset();
  }

  bool waitAvailable(bool want, int timeout_ms = 5000) {
    for (int waited = 0; waited < timeout_ms; waited += 50) {
      auto s = api_->aggregator().serviceFor("metrics.k8s.io", "v1beta1");
      if (s && s->status.available == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto s = api_->aggregator().serviceFor("metrics.k8s.io", "v1beta1");
    ADD_FAILURE() << "APIService status: " << (s ? s->status.reason + ": " + s->status.message : "not registered");
    return false;
  }
  // The requests the backend saw apart from availability probes.
  std::vector<SeenRequest> proxied() {
    std::vector<SeenRequest> out;
    for (const auto& r : backend_->seen())
      if (r.uri != "/apis/metrics.k8s.io/v1beta1") out.push_back(r);
    return out;
  }
  Response get(const std::string& path, const Identity& id, const std::string& accept = "",
               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return call(api_->port(), ca_->certPem(), id, "GET", path, accept, "", headers);
  }

  std::unique_ptr<CertificateAuthority> ca_, front_;
  std::unique_ptr<ClusterState> state_;
  std::unique_ptr<EchoBackend> backend_;
  std::unique_ptr<ApiServer> api_;
  Identity admin_, nobody_;
};

TEST_F(AggregatorTest, ProbeUsesFrontProxyCertAndAggregatorIdentity) {
  ASSERT_TRUE(waitAvailable(true));
  auto seen = backend_->seen();
  ASSERT_FALSE(seen.empty());
  const auto& probe = seen.front();
  EXPECT_EQ(probe.uri, "/apis/metrics.k8s.io/v1beta1");
  EXPECT_EQ(probe.peer_cn, "aggregator");
  EXPECT_EQ(probe.all("X-Remote-User"), std::vector<std::string>{"system:kube-aggregator"});
  EXPECT_EQ(probe.all("X-Remote-Group"), std::vector<std::string>{"system:masters"});
  EXPECT_TRUE(probe.all("Accept").empty());
  // discovery lists the group; the APIGroup is served by the aggregator itself
  auto apis = get("/apis", admin_).json();
  bool found = false;
  for (const auto& g : apis["groups"])
    if (g["name"] == "metrics.k8s.io") {
      found = true;
      EXPECT_EQ(g["preferredVersion"]["version"], "v1beta1");
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(get("/apis/metrics.k8s.io", admin_).json()["kind"], "APIGroup");
  auto svc = get("/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io", admin_).json();
  EXPECT_EQ(svc["status"]["conditions"][0]["status"], "True");
  EXPECT_EQ(svc["status"]["conditions"][0]["reason"], "Passed");
  EXPECT_EQ(svc["spec"]["insecureSkipTLSVerify"], true);
}

TEST_F(AggregatorTest, ProxiedRequestCarriesCallerIdentityNotCredentials) {
  ASSERT_TRUE(waitAvailable(true));
  backend_->clear();
  auto r = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dx",
               Identity{"", "", "viewer-token"}, "application/json",
               {{"X-Remote-User", "mallory"}, {"X-Remote-Group", "system:masters"}, {"Impersonate-User", "root"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto seen = proxied();
  ASSERT_EQ(seen.size(), 1u);
  const auto& s = seen[0];
  EXPECT_EQ(s.peer_cn, "aggregator");
  // Go's url.Values.Encode: keys sorted
  EXPECT_EQ(s.uri, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?fieldSelector=metadata.name%3Dx&labelSelector=app%3Dweb");
  EXPECT_TRUE(s.all("Authorization").empty());
  EXPECT_TRUE(s.all("Impersonate-User").empty());
  EXPECT_EQ(s.all("X-Remote-User"), std::vector<std::string>{"viewer"});
  EXPECT_EQ(s.all("X-Remote-Group"), (std::vector<std::string>{"team-x", "system:authenticated"}));
  EXPECT_EQ(s.all("Accept"), std::vector<std::string>{"application/json"});
  EXPECT_EQ(s.all("User-Agent"), std::vector<std::string>{"sim-test"});
  EXPECT_EQ(s.all("Audit-Id").size(), 1u);
}

TEST_F(AggregatorTest, ExtraHeadersAreEscapedAndRepeated) {
  ASSERT_TRUE(waitAvailable(true));
  backend_->clear();
  ASSERT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes", Identity{"", "", "extra-token"}).status, 200);
  auto s = proxied().at(0);
  EXPECT_EQ(s.all("X-Remote-Extra-Authentication.kubernetes.io%2fpod-Name"), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(remoteExtraHeaderName("scopes"), "X-Remote-Extra-Scopes");
}

TEST_F(AggregatorTest, ApiserverAuthorizesBeforeProxying) {
  ASSERT_TRUE(waitAvailable(true));
  backend_->clear();
  auto r = get("/apis/metrics.k8s.io/v1beta1/nodes", nobody_);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json()["message"],
            "nodes.metrics.k8s.io is forbidden: User \"nobody\" cannot list resource \"nodes\" in API group "
            "\"metrics.k8s.io\" at the cluster scope");
  EXPECT_TRUE(proxied().empty());
}

TEST_F(AggregatorTest, UnavailableBackendGives503AndRecovers) {
  ASSERT_TRUE(waitAvailable(true));
  backend_->force_status = 500;
  ASSERT_TRUE(waitAvailable(false));
  auto r = get("/apis/metrics.k8s.io/v1beta1/nodes", admin_);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "service unavailable\n");
  auto svc = get("/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io", admin_).json();
  EXPECT_EQ(svc["status"]["conditions"][0]["reason"], "FailedDiscoveryCheck");
  EXPECT_NE(svc["status"]["conditions"][0]["message"].get<std::string>().find("bad status from"), std::string::npos);
  // the group stays listed while registered
  EXPECT_NE(get("/apis", admin_).body.find("metrics.k8s.io"), std::string::npos);
  backend_->force_status = 0;
  ASSERT_TRUE(waitAvailable(true));
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes", admin_).status, 200);
  // unregistering removes the group
  ASSERT_EQ(call(api_->port(), ca_->certPem(), admin_, "DELETE", "/sim/apiservices/v1beta1.metrics.k8s.io").status, 200);
  EXPECT_EQ(get("/apis", admin_).body.find("metrics.k8s.io"), std::string::npos);
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes", admin_).status, 404);
}

TEST_F(AggregatorTest, BackendWithoutFrontProxyTrustFailsTheProbe) {
  // A backend that trusts another CA for client certs rejects the aggregator: unavailable.
  auto other = CertificateAuthority::create("other");
  EchoBackend strict(ca_->issue(serverCert("kmetrics")), other.certPem());
  ASSERT_EQ(call(api_->port(), ca_->certPem(), admin_, "POST", "/sim/apiservices?backend=" + strict.url()).status, 200);
  ASSERT_EQ(call(api_->port(), ca_->certPem(), admin_, "POST", "/sim/apiservices/probe").status, 200);
  EXPECT_TRUE(waitAvailable(false));
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes", admin_).status, 503);
}

// Plain-HTTP heapster stand-in.
class HeapsterHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    json j{{"uri", req.getURI()}, {"authorization", req.get("Authorization", "")}};
    const std::string body = j.dump();
    resp.setContentType("application/json");
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send() << body;
  }
};
class HeapsterFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new HeapsterHandler;
  }
};

TEST_F(AggregatorTest, HeapsterServiceProxy) {
  const std::string path = "/api/v1/namespaces/kube-system/services/heapster/proxy/api/v1/model/metrics?x=1";
  EXPECT_EQ(get(path, admin_).status, 503);  // no backend yet
  Poco::Net::ServerSocket sock(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::HTTPServer heapster(new HeapsterFactory, sock, new Poco::Net::HTTPServerParams);
  heapster.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(sock.address().port());
  ASSERT_EQ(call(api_->port(), ca_->certPem(), admin_, "POST", "/sim/heapster?backend=" + url).status, 200);
  auto r = get(path, admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["uri"], "/api/v1/model/metrics?x=1");
  auto r2 = get("/api/v1/namespaces/kube-system/services/http:heapster:/proxy/healthz", Identity{"", "", "extra-token"});
  ASSERT_EQ(r2.status, 200);
  EXPECT_EQ(r2.json()["uri"], "/healthz");
  EXPECT_EQ(r2.json()["authorization"], "");
  EXPECT_EQ(get(path, nobody_).status, 403);
  heapster.stopAll(true);
}

}  // namespace
