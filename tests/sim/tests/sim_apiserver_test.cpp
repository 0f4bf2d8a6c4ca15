// The simulated apiserver over real TLS: discovery, authn/authz, list/get/selectors, shapes
// (PartialObjectMetadata, Table), watch and 410, the auth ConfigMap, TokenReview/SAR, control API.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "apiserver/apiserver.hpp"
#include "apiserver/auth.hpp"
#include "apiserver/http_util.hpp"
#include "test_support.hpp"

using namespace kmetrics::sim;
using namespace kmetrics::sim::testing;
using nlohmann::json;

namespace {

UnixNanos nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new CertificateAuthority(CertificateAuthority::create("test-ca"));
    front_ = new CertificateAuthority(CertificateAuthority::create("test-front-proxy-ca"));
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete front_;
  }

  void SetUp() override {
    state_ = std::make_unique<ClusterState>(nowNanos());
    ClusterSpec spec;
    spec.nodes = 3;
    spec.pods_per_node = 4;
    state_->populate(spec, nowNanos());
    ApiServerConfig cfg;
    cfg.serving = ca_->issue(serverCert("kube-apiserver"));
    cfg.client_ca_pem = ca_->certPem();
    cfg.front_proxy_ca_pem = front_->certPem();
    cfg.front_proxy_client = front_->issue(clientCert("aggregator"));
    cfg.probe_interval_ms = 200;
    cfg.bookmark_interval_ms = 300;
    api_ = std::make_unique<ApiServer>(*state_, cfg);
    api_->authenticator().addToken("viewer-token", UserInfo{"viewer", "", {}, {}});
    api_->start();
    admin_ = identity("admin", {"system:masters"});
    viewer_ = identity("viewer");
    nobody_ = identity("nobody");
  }
  void TearDown() override { api_->stop(); }

  Identity identity(const std::string& cn, std::vector<std::string> orgs = {}) {
    auto kp = ca_->issue(clientCert(cn, std::move(orgs)));
    return Identity{kp.cert_pem, kp.key_pem, ""};
  }
  Response get(const std::string& path, const Identity& id, const std::string& accept = "") {
    return call(api_->port(), ca_->certPem(), id, "GET", path, accept);
  }
  Response post(const std::string& path, const Identity& id, const std::string& body = "") {
    return call(api_->port(), ca_->certPem(), id, "POST", path, "", body);
  }
  std::vector<std::string> names(const json& list) {
    std::vector<std::string> out;
    for (const auto& i : list["items"]) out.push_back(i["metadata"]["name"]);
    return out;
  }

  static CertificateAuthority* ca_;
  static CertificateAuthority* front_;
  std::unique_ptr<ClusterState> state_;
  std::unique_ptr<ApiServer> api_;
  Identity admin_, viewer_, nobody_;
};

CertificateAuthority* ApiServerTest::ca_ = nullptr;
CertificateAuthority* ApiServerTest::front_ = nullptr;

const char* kAggregatedAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;"
    "v=v2beta1;as=APIGroupDiscoveryList,application/json";

TEST_F(ApiServerTest, DiscoveryIsPlainJsonEvenForAggregatedAccept) {
  auto v = get("/version", admin_);
  ASSERT_EQ(v.status, 200);
  EXPECT_EQ(v.json()["minor"], "33");
  for (const char* path : {"/api", "/apis"}) {
    auto r = get(path, admin_, kAggregatedAccept);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "application/json") << path;
  }
  auto apis = get("/apis", viewer_, kAggregatedAccept).json();
  EXPECT_EQ(apis["kind"], "APIGroupList");
  for (const auto& g : apis["groups"]) EXPECT_NE(g["name"], "metrics.k8s.io");
  auto core = get("/api/v1", viewer_).json();
  EXPECT_EQ(core["kind"], "APIResourceList");
  bool has_nodes = false, has_pods = false;
  for (const auto& r : core["resources"]) {
    has_nodes |= r["name"] == "nodes";
    has_pods |= r["name"] == "pods";
  }
  EXPECT_TRUE(has_nodes && has_pods);
  EXPECT_EQ(get("/apis/metrics.k8s.io", admin_).status, 404);
}

TEST_F(ApiServerTest, AuthenticationAndAuthorization) {
  // anonymous may read /version, nothing else
  EXPECT_EQ(get("/version", Identity{}).status, 200);
  auto anon = get("/api/v1/nodes", Identity{});
  EXPECT_EQ(anon.status, 403);
  EXPECT_NE(anon.body.find("system:anonymous"), std::string::npos);
  auto bad = get("/api/v1/nodes", Identity{"", "", "wrong"});
  ASSERT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json()["kind"], "Status");
  EXPECT_EQ(bad.json()["reason"], "Unauthorized");
  EXPECT_EQ(get("/api/v1/nodes", Identity{"", "", "viewer-token"}).status, 200);
  EXPECT_EQ(get("/api/v1/nodes", viewer_).status, 200);
  auto denied = get("/api/v1/namespaces/default/pods", nobody_);
  ASSERT_EQ(denied.status, 403);
  EXPECT_EQ(denied.json()["message"],
            "pods is forbidden: User \"nobody\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
  EXPECT_EQ(denied.json()["code"], 403);
  // discovery is open to every authenticated user
  EXPECT_EQ(get("/apis", nobody_).status, 200);
  // a certificate from another CA fails the handshake
  auto other = CertificateAuthority::create("other");
  auto kp = other.issue(clientCert("admin", {"system:masters"}));
  EXPECT_ANY_THROW(get("/api/v1/nodes", Identity{kp.cert_pem, kp.key_pem, ""}));
}

TEST_F(ApiServerTest, ListAndGetNodesAndPods) {
  auto nodes = get("/api/v1/nodes", admin_);
  ASSERT_EQ(nodes.status, 200);
  auto j = nodes.json();
  EXPECT_EQ(j["kind"], "NodeList");
  EXPECT_FALSE(j["metadata"]["resourceVersion"].get<std::string>().empty());
  EXPECT_EQ(names(j), (std::vector<std::string>{"node-0", "node-1", "node-2"}));
  const auto& n0 = j["items"][0];
  EXPECT_EQ(n0["status"]["addresses"][0]["type"], "InternalIP");
  EXPECT_EQ(n0["status"]["addresses"][0]["address"], state_->node("node-0")->internal_ip);
  EXPECT_EQ(n0["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"], 10250);
  EXPECT_EQ(n0["status"]["nodeInfo"]["kubeletVersion"], "v1.33.1");
  EXPECT_TRUE(n0["status"].contains("allocatable"));

  auto node = get("/api/v1/nodes/node-1", admin_).json();
  EXPECT_EQ(node["kind"], "Node");
  EXPECT_EQ(node["metadata"]["labels"]["kubernetes.io/hostname"], "node-1");
  auto missing = get("/api/v1/nodes/nope", admin_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["message"], "nodes \"nope\" not found");

  auto pods = get("/api/v1/pods", admin_).json();
  EXPECT_EQ(pods["kind"], "PodList");
  EXPECT_EQ(pods["items"].size(), 12u);
  auto def = get("/api/v1/namespaces/default/pods", admin_).json();
  for (const auto& p : def["items"]) EXPECT_EQ(p["metadata"]["namespace"], "default");
  const std::string name = def["items"][0]["metadata"]["name"];
  auto pod = get("/api/v1/namespaces/default/pods/" + name, admin_).json();
  EXPECT_EQ(pod["kind"], "Pod");
  EXPECT_FALSE(pod["spec"]["nodeName"].get<std::string>().empty());
  EXPECT_EQ(pod["spec"]["containers"][0]["resources"]["requests"]["cpu"], "100m");
  EXPECT_EQ(pod["spec"]["containers"][0]["resources"]["limits"]["memory"], "1Gi");
  EXPECT_EQ(pod["status"]["phase"], "Running");
  EXPECT_TRUE(pod["status"]["containerStatuses"][0]["state"]["running"].contains("startedAt"));
  EXPECT_EQ(get("/api/v1/namespaces/team-a/pods/" + name, admin_).status, 404);
}

// Lists `base` (a path with limit=...) from continue token `token` ("": the first page) to the
// end; every page's JSON in order.
std::vector<json> pages(const std::function<Response(const std::string&)>& get_page, const std::string& base,
                        const std::string& token = "") {
  std::vector<json> out;
  std::string path = token.empty() ? base : base + "&continue=" + queryEscape(token);
  for (int i = 0; i < 100; ++i) {
    auto r = get_page(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    if (r.status != 200) break;
    out.push_back(r.json());
    const json& md = out.back()["metadata"];
    if (!md.contains("continue")) break;
    path = base + "&continue=" + queryEscape(md["continue"].get<std::string>());
  }
  return out;
}

TEST_F(ApiServerTest, ListsInPagesWithLimitAndContinue) {
  auto get_admin = [&](const std::string& path) { return get(path, admin_); };
  const auto all = names(get("/api/v1/pods", admin_).json());
  ASSERT_EQ(all.size(), 12u);
  EXPECT_FALSE(get("/api/v1/pods?limit=0", admin_).json()["metadata"].contains("continue"));
  EXPECT_EQ(names(get("/api/v1/pods?limit=0", admin_).json()), all);
  auto exact = get("/api/v1/pods?limit=12", admin_).json();
  EXPECT_EQ(exact["items"].size(), 12u);
  EXPECT_FALSE(exact["metadata"].contains("continue"));

  // 5 + 5 + 2, in the unpaged order, every page at the first page's resourceVersion
  auto ps = pages(get_admin, "/api/v1/pods?limit=5");
  ASSERT_EQ(ps.size(), 3u);
  std::vector<std::string> paged;
  for (const auto& p : ps) {
    EXPECT_EQ(p["kind"], "PodList");
    EXPECT_EQ(p["metadata"]["resourceVersion"], ps[0]["metadata"]["resourceVersion"]);
    for (const auto& n : names(p)) paged.push_back(n);
  }
  EXPECT_EQ(ps[0]["items"].size(), 5u);
  EXPECT_EQ(ps[2]["items"].size(), 2u);
  EXPECT_EQ(paged, all);

  // The limit counts the objects that match the selectors.
  std::vector<std::string> on_node1;
  for (const auto& p : pages(get_admin, "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&limit=3")) {
    EXPECT_LE(p["items"].size(), 3u);
    for (const auto& n : names(p)) on_node1.push_back(n);
  }
  EXPECT_EQ(on_node1.size(), 4u);

  auto nodes = pages(get_admin, "/api/v1/nodes?limit=2");
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(names(nodes[0]), (std::vector<std::string>{"node-0", "node-1"}));
  EXPECT_EQ(names(nodes[1]), std::vector<std::string>{"node-2"});

  // kubectl get pages its Tables too
  auto table_page = [&](const std::string& path) {
    return get(path, admin_, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
  };
  auto tables = pages(table_page, "/api/v1/nodes?limit=2");
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0]["kind"], "Table");
  EXPECT_EQ(tables[0]["rows"].size(), 2u);
  EXPECT_EQ(tables[1]["rows"][0]["cells"][0], "node-2");

  EXPECT_EQ(get("/api/v1/pods?limit=abc", admin_).status, 400);
  EXPECT_EQ(get("/api/v1/pods?limit=-1", admin_).status, 400);
  auto bad = get("/api/v1/pods?limit=5&continue=not-a-token", admin_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["message"].get<std::string>().find("continue key is not valid"), std::string::npos);
  const std::string token = ps[0]["metadata"]["continue"];
  EXPECT_EQ(get("/api/v1/pods?limit=5&resourceVersion=7&continue=" + queryEscape(token), admin_).status, 400);
}

TEST_F(ApiServerTest, ContinuedListShowsTheFirstPagesVersion) {
  const auto before = get("/api/v1/pods", admin_).json();
  const auto all = names(before);
  auto first = get("/api/v1/pods?limit=4", admin_).json();
  ASSERT_EQ(first["items"].size(), 4u);
  const std::string rv = first["metadata"]["resourceVersion"];
  const std::string token = first["metadata"]["continue"];

  // Changes after the first page: one later pod deleted, one made Succeeded, one added, a node added.
  const json& gone = before["items"][6];
  const json& done = before["items"][9];
  auto del = call(api_->port(), ca_->certPem(), admin_, "DELETE",
                  "/sim/pods/" + gone["metadata"]["namespace"].get<std::string>() + "/" + gone["metadata"]["name"].get<std::string>());
  ASSERT_EQ(del.status, 200) << del.body;
  ASSERT_EQ(post("/sim/pods/" + done["metadata"]["namespace"].get<std::string>() + "/" +
                     done["metadata"]["name"].get<std::string>() + "/phase?phase=Succeeded",
                 admin_).status, 200);
  ASSERT_EQ(post("/sim/pods?namespace=team-a&name=zz-late&node=node-0", admin_).status, 200);

  std::vector<std::string> rest;
  for (const auto& p : pages([&](const std::string& path) { return get(path, admin_); },
                             "/api/v1/pods?limit=4", token)) {
    EXPECT_EQ(p["metadata"]["resourceVersion"], rv);
    for (const auto& item : p["items"]) {
      rest.push_back(item["metadata"]["name"]);
      if (item["metadata"]["name"] == done["metadata"]["name"]) {
        EXPECT_EQ(item["status"]["phase"], "Running");
      }
    }
  }
  std::vector<std::string> paged = names(first);
  paged.insert(paged.end(), rest.begin(), rest.end());
  EXPECT_EQ(paged, all);  // as at the first page: the deleted pod is there, the new one is not

  // A new list sees the changes: 12 - 1 deleted - 1 Succeeded + 1 new
  EXPECT_EQ(get("/api/v1/pods?fieldSelector=status.phase%3DRunning", admin_).json()["items"].size(), 11u);

  // A token whose version is no longer in the history: 410 Expired, like a compacted etcd.
  ASSERT_EQ(post("/sim/watch/compact", admin_).status, 200);
  auto expired = get("/api/v1/pods?limit=4&continue=" + queryEscape(token), admin_);
  EXPECT_EQ(expired.status, 410);
  EXPECT_EQ(expired.json()["reason"], "Expired");
  EXPECT_EQ(expired.json()["code"], 410);
}

TEST_F(ApiServerTest, LabelAndFieldSelectors) {
  auto count = [&](const std::string& q) {
    auto r = get("/api/v1/pods?" + q, admin_);
    EXPECT_EQ(r.status, 200) << q << " " << r.body;
    return r.status == 200 ? r.json()["items"].size() : 999u;
  };
  EXPECT_EQ(count("labelSelector=app%3Dapp-0"), 3u);
  EXPECT_EQ(count("labelSelector=app%3D%3Dapp-0"), 3u);
  EXPECT_EQ(count("labelSelector=app%21%3Dapp-0"), 9u);
  EXPECT_EQ(count("labelSelector=app+in+%28app-0%2Capp-1%29"), 6u);
  EXPECT_EQ(count("labelSelector=app+notin+%28app-0%2Capp-1%29"), 6u);
  EXPECT_EQ(count("labelSelector=tier"), 12u);
  EXPECT_EQ(count("labelSelector=%21tier"), 0u);
  EXPECT_EQ(count("labelSelector=app%3Dapp-0%2Ctier%3Dfrontend"), 3u);
  EXPECT_EQ(count("fieldSelector=spec.nodeName%3Dnode-1"), 4u);
  EXPECT_EQ(count("fieldSelector=spec.nodeName%21%3Dnode-1"), 8u);
  EXPECT_EQ(count("fieldSelector=status.phase%3DRunning"), 12u);
  EXPECT_EQ(count("fieldSelector=status.phase%3D%3DRunning%2Cspec.nodeName%3Dnode-2"), 4u);
  EXPECT_EQ(count("fieldSelector=metadata.namespace%3Dteam-a"), 3u);
  EXPECT_EQ(get("/api/v1/pods?fieldSelector=spec.bogus%3Dx", admin_).status, 400);
  EXPECT_EQ(get("/api/v1/pods?labelSelector=app+in+%28a", admin_).status, 400);
  auto nodes = get("/api/v1/nodes?fieldSelector=metadata.name%3Dnode-2", admin_).json();
  EXPECT_EQ(names(nodes), std::vector<std::string>{"node-2"});
  auto zone = get("/api/v1/nodes?labelSelector=topology.kubernetes.io%2Fzone+in+%28zone-0%2Czone-1%29", admin_).json();
  EXPECT_EQ(zone["items"].size(), 2u);
}

TEST_F(ApiServerTest, PartialObjectMetadataForRunningPods) {
  // metrics-server's pod informer: metadata only, status.phase=Running
  const auto victim = state_->pods().front();
  ASSERT_EQ(post("/sim/pods/" + victim.ns + "/" + victim.name + "/phase?phase=Succeeded", admin_).status, 200);
  const std::string accept =
      "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
  auto r = get("/api/v1/pods?fieldSelector=status.phase%3DRunning&limit=500&resourceVersion=0", admin_, accept);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.content_type.find("as=PartialObjectMetadataList"), std::string::npos);
  auto j = r.json();
  EXPECT_EQ(j["kind"], "PartialObjectMetadataList");
  EXPECT_EQ(j["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(j["items"].size(), 11u);
  for (const auto& i : j["items"]) {
    EXPECT_EQ(i["kind"], "PartialObjectMetadata");
    EXPECT_FALSE(i.contains("spec"));
    EXPECT_FALSE(i.contains("status"));
    EXPECT_TRUE(i["metadata"].contains("labels"));
    EXPECT_NE(i["metadata"]["name"], victim.name);
  }
  auto one = get("/api/v1/namespaces/" + victim.ns + "/pods/" + victim.name, admin_,
                 "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
  EXPECT_EQ(one.json()["kind"], "PartialObjectMetadata");
}

TEST_F(ApiServerTest, TableForKubectlGet) {
  auto r = get("/api/v1/nodes?limit=500", admin_,
               "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
               "application/json");
  ASSERT_EQ(r.status, 200);
  auto j = r.json();
  EXPECT_EQ(j["kind"], "Table");
  EXPECT_EQ(j["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(j["columnDefinitions"][1]["name"], "Status");
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["rows"][0]["cells"][1], "Ready");
  EXPECT_EQ(j["rows"][0]["object"]["kind"], "PartialObjectMetadata");
}

TEST_F(ApiServerTest, WatchStreamsChangesFromResourceVersion) {
  auto list = get("/api/v1/pods?fieldSelector=status.phase%3DRunning", admin_).json();
  const std::string rv = list["metadata"]["resourceVersion"];
  WatchStream w(api_->port(), ca_->certPem(), admin_,
                "/api/v1/pods?watch=true&allowWatchBookmarks=true&fieldSelector=status.phase%3DRunning&resourceVersion=" + rv);
  ASSERT_EQ(w.status(), 200);
  ASSERT_EQ(post("/sim/pods?namespace=default&name=newpod&node=node-0&containers=a,b", admin_).status, 200);
  auto ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "ADDED");
  EXPECT_EQ((*ev)["object"]["metadata"]["name"], "newpod");
  EXPECT_EQ((*ev)["object"]["kind"], "Pod");
  EXPECT_EQ((*ev)["object"]["spec"]["containers"].size(), 2u);
  ASSERT_EQ(post("/sim/pods/default/newpod/containers/a/restart", admin_).status, 200);
  ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "MODIFIED");
  EXPECT_EQ((*ev)["object"]["status"]["containerStatuses"][0]["restartCount"], 1);
  // leaving the field selector's set is a DELETED for this watch
  ASSERT_EQ(post("/sim/pods/default/newpod/phase?phase=Failed", admin_).status, 200);
  ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "DELETED");
  // events for pods outside the selection are not sent; bookmarks arrive
  ASSERT_EQ(call(api_->port(), ca_->certPem(), admin_, "DELETE", "/sim/pods/default/newpod").status, 200);
  ev = w.next(3000);
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "BOOKMARK");
  EXPECT_EQ((*ev)["object"]["kind"], "Pod");
}

TEST_F(ApiServerTest, WatchNodesWithWatchOneAndInitialEvents) {
  WatchStream w(api_->port(), ca_->certPem(), viewer_, "/api/v1/nodes?watch=1");
  ASSERT_EQ(w.status(), 200);
  for (int i = 0; i < 3; ++i) {
    auto ev = w.next();
    ASSERT_TRUE(ev);
    EXPECT_EQ((*ev)["type"], "ADDED");
  }
  ASSERT_EQ(post("/sim/nodes?name=node-x&pods=1", admin_).status, 200);
  auto ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "ADDED");
  EXPECT_EQ((*ev)["object"]["metadata"]["name"], "node-x");
  ASSERT_EQ(call(api_->port(), ca_->certPem(), admin_, "DELETE", "/sim/nodes/node-x").status, 200);
  ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "DELETED");
  EXPECT_EQ((*ev)["object"]["metadata"]["name"], "node-x");
}

TEST_F(ApiServerTest, WatchPartialMetadata) {
  const std::string rv = get("/api/v1/pods", admin_).json()["metadata"]["resourceVersion"];
  WatchStream w(api_->port(), ca_->certPem(), admin_, "/api/v1/pods?watch=true&resourceVersion=" + rv,
                "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
  ASSERT_EQ(post("/sim/pods?namespace=team-a&name=meta&node=node-1", admin_).status, 200);
  auto ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["object"]["kind"], "PartialObjectMetadata");
  EXPECT_FALSE((*ev)["object"].contains("spec"));
}

TEST_F(ApiServerTest, ExpiredWatchGets410) {
  const std::string rv = get("/api/v1/nodes", admin_).json()["metadata"]["resourceVersion"];
  // Open watch is closed by expire; the next watch from its version gets an ERROR 410 event.
  WatchStream open(api_->port(), ca_->certPem(), admin_, "/api/v1/nodes?watch=true&resourceVersion=" + rv);
  ASSERT_EQ(post("/sim/watch/expire", admin_).status, 200);
  EXPECT_FALSE(open.next(3000));
  EXPECT_TRUE(open.ended());
  WatchStream w(api_->port(), ca_->certPem(), admin_, "/api/v1/nodes?watch=true&resourceVersion=" + rv);
  EXPECT_EQ(w.status(), 200);
  auto ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "ERROR");
  EXPECT_EQ((*ev)["object"]["kind"], "Status");
  EXPECT_EQ((*ev)["object"]["code"], 410);
  EXPECT_EQ((*ev)["object"]["reason"], "Expired");
  EXPECT_FALSE(w.next(2000));
  // one-shot: the relisted version works again
  WatchStream again(api_->port(), ca_->certPem(), admin_, "/api/v1/nodes?watch=true&resourceVersion=" + rv);
  ASSERT_EQ(post("/sim/nodes?name=node-y", admin_).status, 200);
  ev = again.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "ADDED");

  // HTTP 410 variant
  ASSERT_EQ(post("/sim/watch/expire?resource=pods&http=1", admin_).status, 200);
  auto r = get("/api/v1/pods?watch=true&resourceVersion=" + rv, admin_);
  EXPECT_EQ(r.status, 410);
  EXPECT_EQ(r.json()["reason"], "Expired");

  // compaction: every version before now is too old
  ASSERT_EQ(post("/sim/nodes?name=node-z", admin_).status, 200);
  ASSERT_EQ(post("/sim/watch/compact", admin_).status, 200);
  WatchStream old(api_->port(), ca_->certPem(), admin_, "/api/v1/nodes?watch=true&resourceVersion=" + rv);
  ev = old.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["type"], "ERROR");
  EXPECT_EQ(get("/api/v1/nodes?resourceVersion=" + rv + "&resourceVersionMatch=Exact", admin_).status, 410);
}

TEST_F(ApiServerTest, ExtensionApiserverAuthenticationConfigMap) {
  auto r = get("/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication", admin_);
  ASSERT_EQ(r.status, 200);
  auto d = r.json()["data"];
  EXPECT_EQ(d["client-ca-file"], ca_->certPem());
  EXPECT_EQ(d["requestheader-client-ca-file"], front_->certPem());
  EXPECT_EQ(d["requestheader-allowed-names"], "[\"aggregator\"]");
  EXPECT_EQ(d["requestheader-username-headers"], "[\"X-Remote-User\"]");
  EXPECT_EQ(d["requestheader-group-headers"], "[\"X-Remote-Group\"]");
  EXPECT_EQ(d["requestheader-extra-headers-prefix"], "[\"X-Remote-Extra-\"]");
  // how client-go informers read it: list + watch with a name field selector
  auto kmetrics = Identity{"", "", "kmetrics-token"};
  auto list = get("/api/v1/namespaces/kube-system/configmaps?fieldSelector=metadata.name%3Dextension-apiserver-authentication",
                  kmetrics);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"].size(), 1u);
  WatchStream w(api_->port(), ca_->certPem(), kmetrics,
                "/api/v1/namespaces/kube-system/configmaps?watch=true&fieldSelector=metadata.name%3Dextension-apiserver-authentication");
  auto ev = w.next();
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["object"]["data"]["requestheader-allowed-names"], "[\"aggregator\"]");
  EXPECT_EQ(get("/api/v1/namespaces/default/configmaps/extension-apiserver-authentication", admin_).status, 404);
  EXPECT_EQ(get("/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication", nobody_).status, 403);
}

TEST_F(ApiServerTest, TokenReviewAndSubjectAccessReview) {
  auto kmetrics = Identity{"", "", "kmetrics-token"};
  auto tr = post("/apis/authentication.k8s.io/v1/tokenreviews", kmetrics,
                 R"({"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"token":"viewer-token"},"status":{"user":{}}})");
  ASSERT_EQ(tr.status, 201);
  auto j = tr.json();
  EXPECT_EQ(j["status"]["authenticated"], true);
  EXPECT_EQ(j["status"]["user"]["username"], "viewer");
  EXPECT_EQ(j["status"]["user"]["groups"], json::array({"system:authenticated"}));
  auto bad = post("/apis/authentication.k8s.io/v1/tokenreviews", kmetrics, R"({"spec":{"token":"nope"}})").json();
  EXPECT_FALSE(bad["status"].value("authenticated", false));
  auto self = post("/apis/authentication.k8s.io/v1/tokenreviews", kmetrics, R"({"spec":{"token":"kmetrics-token"}})").json();
  EXPECT_EQ(self["status"]["user"]["username"], "system:serviceaccount:kube-system:kmetrics");

  auto sar = [&](const std::string& user, const json& groups, const json& attrs) {
    json body{{"kind", "SubjectAccessReview"}, {"apiVersion", "authorization.k8s.io/v1"},
              {"spec", {{"resourceAttributes", attrs}, {"user", user}, {"groups", groups}}}};
    auto r = post("/apis/authorization.k8s.io/v1/subjectaccessreviews", kmetrics, body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["status"]["allowed"].get<bool>();
  };
  json list_pods{{"namespace", "default"}, {"verb", "list"}, {"group", "metrics.k8s.io"}, {"version", "v1beta1"},
                 {"resource", "pods"}};
  json get_node{{"verb", "get"}, {"group", "metrics.k8s.io"}, {"version", "v1beta1"}, {"resource", "nodes"},
                {"name", "node-0"}};
  EXPECT_TRUE(sar("viewer", json::array({"system:authenticated"}), list_pods));
  EXPECT_TRUE(sar("viewer", json::array(), get_node));
  EXPECT_FALSE(sar("nobody", json::array({"system:authenticated"}), list_pods));
  EXPECT_TRUE(sar("alice", json::array({"system:masters"}), list_pods));
  EXPECT_TRUE(sar("system:serviceaccount:kube-system:kmetrics", json::array(),
                  json{{"verb", "get"}, {"resource", "nodes"}, {"subresource", "metrics"}, {"name", "node-0"}}));
  // non-resource
  json body{{"spec", {{"nonResourceAttributes", {{"path", "/apis/metrics.k8s.io/v1beta1"}, {"verb", "get"}}},
                      {"user", "nobody"}, {"groups", json::array({"system:authenticated"})}}}};
  EXPECT_TRUE(post("/apis/authorization.k8s.io/v1/subjectaccessreviews", kmetrics, body.dump()).json()["status"]["allowed"]);
  // only auth-delegators may ask
  EXPECT_EQ(post("/apis/authorization.k8s.io/v1/subjectaccessreviews", viewer_, body.dump()).status, 403);
}

TEST_F(ApiServerTest, ControlApiIsAdminOnlyAndTruthIsConsistent) {
  EXPECT_EQ(get("/sim/truth", viewer_).status, 403);
  auto t = get("/sim/truth", admin_).json();
  ASSERT_EQ(t["nodes"].size(), 3u);
  for (const auto& n : t["nodes"]) {
    uint64_t cpu = n["cpu_base_millicores"], mem = n["memory_base_bytes"];
    for (const auto& p : t["pods"]) {
      if (p["node"] != n["name"]) continue;
      for (const auto& c : p["containers"]) {
        cpu += c["cpu_millicores"].get<uint64_t>();
        mem += c["memory_bytes"].get<uint64_t>();
      }
    }
    EXPECT_EQ(n["cpu_millicores"], cpu);
    EXPECT_EQ(n["memory_bytes"], mem);
  }
  ASSERT_EQ(post("/sim/nodes/node-1/fault?mode=slow&delay_ms=1500", admin_).status, 200);
  EXPECT_EQ(state_->node("node-1")->fault, FaultMode::kSlow);
  EXPECT_EQ(state_->node("node-1")->slow_delay_ms, 1500u);
  EXPECT_EQ(post("/sim/nodes/node-1/fault?mode=bogus", admin_).status, 400);
  EXPECT_EQ(post("/sim/nodes/nope/fault?mode=hang", admin_).status, 404);
}

}  // namespace
