#include "api_handler.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_data.hpp"
#include "selectors.hpp"

namespace kmetrics::metrics_api {
namespace {

using nlohmann::json;

using fake::FakeData;
using fake::kNow;
using fake::kSecond;

class ApiHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data.nodes = {{"", "node-b", {{"zone", "b"}}}, {"", "node-a", {{"zone", "a"}}}, {"", "node-c", {{"zone", "a"}}}};
    data.node_metrics["node-a"] = {"", {}, kNow - 5 * kSecond, 10500LL * 1000000, {250001, 1048576000}};
    data.node_metrics["node-b"] = {"", {}, kNow - 5 * kSecond, 15 * kSecond, {1500000000, 1610612736}};
    data.pods = {{"other", "pod2", {{"app", "web"}}},
                 {"default", "web-1", {{"app", "web"}}},
                 {"other", "pod1", {{"app", "db"}}},
                 {"default", "nometrics", {{"app", "web"}}}};
    data.pod_metrics["default/web-1"] = {"", "", {}, kNow - 5 * kSecond, 15012LL * 1000000,
                                         {{"nginx", {12345678, 20 * 1048576}}, {"sidecar", {1000000, 1572864}}}};
    data.pod_metrics["other/pod1"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"db", {5000000, 1024}}}};
    data.pod_metrics["other/pod2"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"c", {0, 0}}}};
  }

  ApiResponse get(std::string_view path, std::string_view query = "", std::string_view accept = "") {
    return handleRequest({"GET", path, query, accept}, data);
  }

  FakeData data;
};

TEST_F(ApiHandlerTest, DiscoveryDocumentsAreByteForByteMetricsServers) {
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1").body,
            R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[)"
            R"({"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},)"
            R"({"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]})");
  EXPECT_EQ(get("/apis/metrics.k8s.io").body,
            R"({"kind":"APIGroup","apiVersion":"v1","name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}})");
  EXPECT_EQ(get("/apis").body,
            R"({"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}}]})");
}

TEST_F(ApiHandlerTest, NodeListIsSortedWithCanonicalQuantitiesAndOmitsNodesWithoutMetrics) {
  auto r = get("/apis/metrics.k8s.io/v1beta1/nodes");
  ASSERT_EQ(r.status, 200);
  auto j = json::parse(r.body);
  EXPECT_EQ(j["kind"], "NodeMetricsList");
  EXPECT_EQ(j["apiVersion"], "metrics.k8s.io/v1beta1");
  EXPECT_EQ(j["metadata"], json::object());
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "node-a");
  EXPECT_EQ(j["items"][0]["metadata"]["labels"]["zone"], "a");
  EXPECT_EQ(j["items"][0]["metadata"]["creationTimestamp"], "2024-05-01T10:00:20Z");
  EXPECT_EQ(j["items"][0]["timestamp"], "2024-05-01T10:00:15Z");
  EXPECT_EQ(j["items"][0]["window"], "10.5s");
  EXPECT_EQ(j["items"][0]["usage"], (json{{"cpu", "250001n"}, {"memory", "1000Mi"}}));
  EXPECT_EQ(j["items"][1]["metadata"]["name"], "node-b");
  EXPECT_EQ(j["items"][1]["usage"], (json{{"cpu", "1500m"}, {"memory", "1536Mi"}}));
  EXPECT_EQ(r.item_timestamps_ns.size(), 2u);
}

TEST_F(ApiHandlerTest, NodeSelectorsAndGet) {
  auto j = json::parse(get("/apis/metrics.k8s.io/v1beta1/nodes", "labelSelector=zone%3Db").body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "node-b");
  j = json::parse(get("/apis/metrics.k8s.io/v1beta1/nodes", "fieldSelector=metadata.name%3Dnode-a").body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "node-a");

  auto one = get("/apis/metrics.k8s.io/v1beta1/nodes/node-b");
  ASSERT_EQ(one.status, 200);
  j = json::parse(one.body);
  EXPECT_EQ(j["kind"], "NodeMetrics");
  EXPECT_EQ(j["window"], "15s");

  auto no_metrics = get("/apis/metrics.k8s.io/v1beta1/nodes/node-c");
  EXPECT_EQ(no_metrics.status, 404);
  EXPECT_EQ(json::parse(no_metrics.body)["message"], "nodemetrics.metrics.k8s.io \"node-c\" not found");
  auto unknown = get("/apis/metrics.k8s.io/v1beta1/nodes/nosuch");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json::parse(unknown.body)["message"], "node \"nosuch\" not found");
}

TEST_F(ApiHandlerTest, PodListsSortByNamespaceThenNameAndFilter) {
  auto j = json::parse(get("/apis/metrics.k8s.io/v1beta1/pods").body);
  ASSERT_EQ(j["kind"], "PodMetricsList");
  ASSERT_EQ(j["items"].size(), 3u);
  EXPECT_EQ(j["items"][0]["metadata"]["namespace"], "default");
  EXPECT_EQ(j["items"][1]["metadata"]["name"], "pod1");
  EXPECT_EQ(j["items"][2]["metadata"]["name"], "pod2");
  const auto& web = j["items"][0];
  EXPECT_EQ(web["window"], "15.012s");
  ASSERT_EQ(web["containers"].size(), 2u);
  EXPECT_EQ(web["containers"][0], (json{{"name", "nginx"}, {"usage", {{"cpu", "12345678n"}, {"memory", "20Mi"}}}}));
  EXPECT_EQ(web["containers"][1]["usage"]["memory"], "1536Ki");

  j = json::parse(get("/apis/metrics.k8s.io/v1beta1/namespaces/other/pods", "labelSelector=app%3Ddb").body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "pod1");
  j = json::parse(get("/apis/metrics.k8s.io/v1beta1/pods", "fieldSelector=metadata.namespace%3Dother").body);
  EXPECT_EQ(j["items"].size(), 2u);
  j = json::parse(get("/apis/metrics.k8s.io/v1beta1/namespaces/empty/pods").body);
  EXPECT_EQ(j["items"], json::array());
}

TEST_F(ApiHandlerTest, PodGetAndNotFoundWording) {
  auto r = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["kind"], "PodMetrics");
  auto missing = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nometrics");
  EXPECT_EQ(missing.status, 404);
  auto j = json::parse(missing.body);
  EXPECT_EQ(j["message"], "podmetrics.metrics.k8s.io \"default/nometrics\" not found");
  EXPECT_EQ(j["details"], (json{{"name", "default/nometrics"}, {"group", "metrics.k8s.io"}, {"kind", "podmetrics"}}));
  EXPECT_EQ(j["reason"], "NotFound");
  auto unknown = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nosuch");
  EXPECT_EQ(json::parse(unknown.body)["message"], "pods \"nosuch\" not found");
}

TEST_F(ApiHandlerTest, ErrorsForSelectorsWatchAndMethods) {
  auto bad = get("/apis/metrics.k8s.io/v1beta1/pods", "fieldSelector=spec.nodeName%3Dx");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["message"],
            R"("spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace")");
  auto node_field = get("/apis/metrics.k8s.io/v1beta1/nodes", "fieldSelector=metadata.namespace%3Dx");
  EXPECT_EQ(node_field.status, 400);
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/pods", "watch=true").status, 405);
  EXPECT_EQ(handleRequest({"POST", "/apis/metrics.k8s.io/v1beta1/pods", "", ""}, data).status, 405);
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/services").status, 404);
  EXPECT_EQ(get("/apis/other.k8s.io/v1").status, 404);
}

TEST_F(ApiHandlerTest, ContentNegotiation) {
  // kubectl 1.27+ and the HPA prefer protobuf but accept */*: JSON is the answer.
  auto hpa = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "labelSelector=app%3Dweb",
                 "application/vnd.kubernetes.protobuf, */*");
  EXPECT_EQ(hpa.status, 200);
  EXPECT_EQ(hpa.content_type, "application/json");
  auto pb_json = get("/apis/metrics.k8s.io/v1beta1/nodes", "", "application/vnd.kubernetes.protobuf,application/json");
  EXPECT_EQ(pb_json.status, 200);
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes", "", "application/vnd.kubernetes.protobuf").status, 406);
}

TEST_F(ApiHandlerTest, TableOutputForKubectlGet) {
  auto r = get("/apis/metrics.k8s.io/v1beta1/pods", "limit=500",
               "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json;as=Table;v=v1;g=meta.k8s.io");
  auto j = json::parse(r.body);
  EXPECT_EQ(j["kind"], "Table");
  ASSERT_EQ(j["columnDefinitions"].size(), 4u);
  EXPECT_EQ(j["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(j["columnDefinitions"][1]["format"], "quantity");
  EXPECT_EQ(j["columnDefinitions"][3]["name"], "Window");
  // web-1: 12345678n + 1m summed; 20Mi + 1536Ki = 22016Ki.
  EXPECT_EQ(j["rows"][0]["cells"], (json{"web-1", "13345678n", "22016Ki", "15.012s"}));
  EXPECT_EQ(j["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(j["rows"][0]["object"]["metadata"]["namespace"], "default");
}

TEST_F(ApiHandlerTest, OpenApiDocumentsParseAndNameTheServer) {
  auto v2 = json::parse(get("/openapi/v2").body);
  EXPECT_EQ(v2["swagger"], "2.0");
  EXPECT_EQ(v2["info"]["title"], "Kubernetes metrics-server");
  EXPECT_TRUE(v2["paths"].contains("/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods"));
  auto v3 = json::parse(get("/openapi/v3/apis/metrics.k8s.io/v1beta1").body);
  EXPECT_EQ(v3["openapi"], "3.0.0");
  EXPECT_TRUE(v3["components"]["schemas"].contains("io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics"));
}

TEST_F(ApiHandlerTest, EqualityAndInSelectorsQueryTheLabelIndexOncePerValue) {
  auto j = json::parse(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "labelSelector=app%3Dweb").body);
  EXPECT_EQ(data.label_queries, (std::vector<std::string>{"default:app=web"}));
  EXPECT_EQ(data.calls["forEachPodMetrics"], 0);
  ASSERT_EQ(j["items"].size(), 1u);  // nometrics has no metrics
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "web-1");

  // `in` with several values, all namespaces: the index gives other/pod2 first; the list is sorted.
  data.label_queries.clear();
  j = json::parse(get("/apis/metrics.k8s.io/v1beta1/pods", "labelSelector=app+in+%28web%2Cdb%2Cweb%29").body);
  EXPECT_EQ(data.label_queries, (std::vector<std::string>{":app=web", ":app=db"}));
  ASSERT_EQ(j["items"].size(), 3u);
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "web-1");
  EXPECT_EQ(j["items"][1]["metadata"]["name"], "pod1");
  EXPECT_EQ(j["items"][2]["metadata"]["name"], "pod2");

  // The other requirements and the field selector still apply to the index's candidates.
  data.label_queries.clear();
  j = json::parse(get("/apis/metrics.k8s.io/v1beta1/pods",
                      "labelSelector=app%21%3Ddb%2Capp+in+%28web%2Cdb%29&fieldSelector=metadata.namespace%3Dother")
                      .body);
  EXPECT_EQ(data.label_queries, (std::vector<std::string>{":app=web", ":app=db"}));
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["metadata"]["name"], "pod2");
  EXPECT_EQ(data.calls["forEachPodMetrics"], 0);
}

TEST_F(ApiHandlerTest, SelectorsWithoutAnEqualityTermWalkTheMetrics) {
  for (const char* selector : {"app%21%3Ddb", "app", "app+notin+%28db%29", "%21zone"}) {
    data.calls.clear();
    auto j = json::parse(get("/apis/metrics.k8s.io/v1beta1/pods", std::string("labelSelector=") + selector).body);
    EXPECT_EQ(data.calls["forEachPodWithLabel"], 0) << selector;
    EXPECT_EQ(data.calls["forEachPodMetrics"], 1) << selector;
    std::vector<std::string> names;
    for (const auto& i : j["items"]) names.push_back(i["metadata"]["name"]);
    if (std::string(selector) == "app" || std::string(selector) == "%21zone") {
      EXPECT_EQ(names, (std::vector<std::string>{"web-1", "pod1", "pod2"})) << selector;
    } else {
      EXPECT_EQ(names, (std::vector<std::string>{"web-1", "pod2"})) << selector;
    }
  }
}

TEST_F(ApiHandlerTest, ObjectsWithMetricsButUnknownToTheClusterViewAreNotServed) {
  data.pod_metrics["default/ghost"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"c", {1, 1}}}};
  data.node_metrics["node-gone"] = {"", {}, kNow - 5 * kSecond, 15 * kSecond, {1, 1}};
  auto pods = json::parse(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods").body);
  ASSERT_EQ(pods["items"].size(), 1u);
  EXPECT_EQ(pods["items"][0]["metadata"]["name"], "web-1");
  auto ghost = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/ghost");
  EXPECT_EQ(ghost.status, 404);
  EXPECT_EQ(json::parse(ghost.body)["message"], "pods \"ghost\" not found");
  auto nodes = json::parse(get("/apis/metrics.k8s.io/v1beta1/nodes").body);
  ASSERT_EQ(nodes["items"].size(), 2u);
  EXPECT_EQ(nodes["items"][1]["metadata"]["name"], "node-b");
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes/node-gone").status, 404);
}

TEST_F(ApiHandlerTest, GetsAreLookups) {
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/namespaces/other/pods/pod1").status, 200);
  EXPECT_EQ(get("/apis/metrics.k8s.io/v1beta1/nodes/node-a").status, 200);
  EXPECT_EQ(data.calls, (std::map<std::string, int>{{"findNode", 1}, {"findPod", 1}}));
}

TEST(LabelSelectorIndexTerm, PicksAnEqualityOrInRequirementWithFewestValues) {
  auto term = [](std::string_view text) {
    std::string error;
    auto sel = LabelSelector::parse(text, &error);
    EXPECT_TRUE(sel) << error;
    auto t = sel->indexTerm();
    if (!t) return std::string("none");
    std::string out(t->key);
    for (auto v : t->values) out += " " + std::string(v);
    return out;
  };
  EXPECT_EQ(term("app=web"), "app web");
  EXPECT_EQ(term("app==web"), "app web");
  EXPECT_EQ(term("app in (web, db)"), "app web db");
  EXPECT_EQ(term("app in (web,db,web)"), "app web db");  // distinct values
  EXPECT_EQ(term("tier in (a,b),app=web"), "app web");   // fewest values
  EXPECT_EQ(term("app=web,tier=a"), "app web");          // the first of equals
  EXPECT_EQ(term("app!=web,tier in (a,b)"), "tier a b");
  EXPECT_EQ(term(""), "none");
  EXPECT_EQ(term("app!=web"), "none");
  EXPECT_EQ(term("app notin (web)"), "none");
  EXPECT_EQ(term("app,!tier"), "none");
}

TEST(ParseQuery, DecodesGoUrlValuesEncoding) {
  auto q = parseQuery("fieldSelector=metadata.name%3Dx&labelSelector=kubernetes.io%2Fhostname+in+%28node-a%2Cnode-b%29");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].second, "metadata.name=x");
  EXPECT_EQ(q[1].second, "kubernetes.io/hostname in (node-a,node-b)");
}

}  // namespace
}  // namespace kmetrics::metrics_api
