// Exact response bodies of lists, selectors, tables and gets over a small cluster, recorded from the
// handler before lists walked the snapshot (when they collected every item and sorted): the walk and
// the label index must not change a byte. The pods include labels that need escaping, a pod with
// metrics unknown to the cluster view (default/ghost) and a node likewise (node-gone).
#include <gtest/gtest.h>

#include "api_handler.hpp"
#include "fake_data.hpp"

namespace kmetrics::metrics_api {
namespace {

using fake::kNow;
using fake::kSecond;

struct Golden {
  const char* path;
  const char* query;
  const char* accept;
  int status;
  const char* body;
};

const Golden kGolden[] = {
  {"/apis/metrics.k8s.io/v1beta1/pods", "", "", 200,
   R"golden({"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"db-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"1m30s","containers":[{"name":"pg","usage":{"cpu":"100u","memory":"3Gi"}}]},{"metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}},"timestamp":"2024-05-01T10:00:14Z","window":"15s","containers":[{"name":"nginx","usage":{"cpu":"5","memory":"1000000"}}]},{"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}},"timestamp":"2024-05-01T10:00:15Z","window":"15.012s","containers":[{"name":"nginx","usage":{"cpu":"12345678n","memory":"20Mi"}},{"name":"sidecar","usage":{"cpu":"1m","memory":"1536Ki"}}]},{"metadata":{"name":"dns","namespace":"kube-system","creationTimestamp":"2024-05-01T10:00:20Z"},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"coredns","usage":{"cpu":"1u","memory":"7"}},{"name":"a","usage":{"cpu":"0","memory":"0"}}]},{"metadata":{"name":"pod1","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"db","usage":{"cpu":"5m","memory":"1Ki"}}]},{"metadata":{"name":"pod2","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web"}},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"c","usage":{"cpu":"0","memory":"0"}}]}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "", "", 200,
   R"golden({"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"db-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"1m30s","containers":[{"name":"pg","usage":{"cpu":"100u","memory":"3Gi"}}]},{"metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}},"timestamp":"2024-05-01T10:00:14Z","window":"15s","containers":[{"name":"nginx","usage":{"cpu":"5","memory":"1000000"}}]},{"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}},"timestamp":"2024-05-01T10:00:15Z","window":"15.012s","containers":[{"name":"nginx","usage":{"cpu":"12345678n","memory":"20Mi"}},{"name":"sidecar","usage":{"cpu":"1m","memory":"1536Ki"}}]}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "labelSelector=app%3Dweb", "", 200,
   R"golden({"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}},"timestamp":"2024-05-01T10:00:14Z","window":"15s","containers":[{"name":"nginx","usage":{"cpu":"5","memory":"1000000"}}]},{"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}},"timestamp":"2024-05-01T10:00:15Z","window":"15.012s","containers":[{"name":"nginx","usage":{"cpu":"12345678n","memory":"20Mi"}},{"name":"sidecar","usage":{"cpu":"1m","memory":"1536Ki"}}]}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/pods", "labelSelector=app+in+%28db%2Cweb%29", "", 200,
   R"golden({"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"db-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"1m30s","containers":[{"name":"pg","usage":{"cpu":"100u","memory":"3Gi"}}]},{"metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}},"timestamp":"2024-05-01T10:00:14Z","window":"15s","containers":[{"name":"nginx","usage":{"cpu":"5","memory":"1000000"}}]},{"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}},"timestamp":"2024-05-01T10:00:15Z","window":"15.012s","containers":[{"name":"nginx","usage":{"cpu":"12345678n","memory":"20Mi"}},{"name":"sidecar","usage":{"cpu":"1m","memory":"1536Ki"}}]},{"metadata":{"name":"pod1","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"db","usage":{"cpu":"5m","memory":"1Ki"}}]},{"metadata":{"name":"pod2","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web"}},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"c","usage":{"cpu":"0","memory":"0"}}]}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/pods", "labelSelector=app%21%3Dweb", "", 200,
   R"golden({"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"db-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"1m30s","containers":[{"name":"pg","usage":{"cpu":"100u","memory":"3Gi"}}]},{"metadata":{"name":"dns","namespace":"kube-system","creationTimestamp":"2024-05-01T10:00:20Z"},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"coredns","usage":{"cpu":"1u","memory":"7"}},{"name":"a","usage":{"cpu":"0","memory":"0"}}]},{"metadata":{"name":"pod1","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}},"timestamp":"2024-05-01T10:00:15Z","window":"15s","containers":[{"name":"db","usage":{"cpu":"5m","memory":"1Ki"}}]}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/pods", "labelSelector=app%3D%3Dweb%2Cpod-template-hash&fieldSelector=metadata.name%21%3Dweb-1", "", 200,
   R"golden({"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}},"timestamp":"2024-05-01T10:00:14Z","window":"15s","containers":[{"name":"nginx","usage":{"cpu":"5","memory":"1000000"}}]}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/pods", "", "application/json;as=Table;v=v1;g=meta.k8s.io", 200,
   R"golden({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":""},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name of the resource","priority":0},{"name":"cpu","type":"string","format":"quantity","description":"","priority":0},{"name":"memory","type":"string","format":"quantity","description":"","priority":0},{"name":"Window","type":"string","format":"duration","description":"","priority":0}],"rows":[{"cells":["db-0","100u","3Gi","1m30s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"db-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}}}},{"cells":["web-0","5","1000000","15s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}}}},{"cells":["web-1","13345678n","22016Ki","15.012s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}}}},{"cells":["dns","1u","7","15s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"dns","namespace":"kube-system","creationTimestamp":"2024-05-01T10:00:20Z"}}},{"cells":["pod1","5m","1Ki","15s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"pod1","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"db"}}}},{"cells":["pod2","0","0","15s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"pod2","namespace":"other","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web"}}}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "labelSelector=app%3Dweb", "application/json;as=Table;v=v1;g=meta.k8s.io", 200,
   R"golden({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":""},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name of the resource","priority":0},{"name":"cpu","type":"string","format":"quantity","description":"","priority":0},{"name":"memory","type":"string","format":"quantity","description":"","priority":0},{"name":"Window","type":"string","format":"duration","description":"","priority":0}],"rows":[{"cells":["web-0","5","1000000","15s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-0","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","pod-template-hash":"abc123"}}}},{"cells":["web-1","13345678n","22016Ki","15.012s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}}}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1", "", "", 200,
   R"golden({"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}},"timestamp":"2024-05-01T10:00:15Z","window":"15.012s","containers":[{"name":"nginx","usage":{"cpu":"12345678n","memory":"20Mi"}},{"name":"sidecar","usage":{"cpu":"1m","memory":"1536Ki"}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1", "", "application/json;as=Table;v=v1;g=meta.k8s.io", 200,
   R"golden({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":""},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name of the resource","priority":0},{"name":"cpu","type":"string","format":"quantity","description":"","priority":0},{"name":"memory","type":"string","format":"quantity","description":"","priority":0},{"name":"Window","type":"string","format":"duration","description":"","priority":0}],"rows":[{"cells":["web-1","13345678n","22016Ki","15.012s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"app":"web","tier":"a\u003cb\u003e\u0026\"c\""}}}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/ghost", "", "", 404,
   R"golden({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"ghost\" not found","reason":"NotFound","details":{"name":"ghost","kind":"pods"},"code":404})golden"},
  {"/apis/metrics.k8s.io/v1beta1/nodes", "", "", 200,
   R"golden({"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"node-a","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"kubernetes.io/hostname":"node-a","zone":"a"}},"timestamp":"2024-05-01T10:00:15Z","window":"10.5s","usage":{"cpu":"250001n","memory":"1000Mi"}},{"metadata":{"name":"node-b","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"zone":"b"}},"timestamp":"2024-05-01T10:00:14Z","window":"15s","usage":{"cpu":"1500m","memory":"1536Mi"}},{"metadata":{"name":"node-d","creationTimestamp":"2024-05-01T10:00:20Z"},"timestamp":"2024-05-01T09:59:15Z","window":"1m1s","usage":{"cpu":"0","memory":"1023"}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/nodes", "labelSelector=zone%3Da", "", 200,
   R"golden({"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"node-a","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"kubernetes.io/hostname":"node-a","zone":"a"}},"timestamp":"2024-05-01T10:00:15Z","window":"10.5s","usage":{"cpu":"250001n","memory":"1000Mi"}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/nodes", "", "application/json;as=Table;v=v1;g=meta.k8s.io", 200,
   R"golden({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":""},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name of the resource","priority":0},{"name":"cpu","type":"string","format":"quantity","description":"","priority":0},{"name":"memory","type":"string","format":"quantity","description":"","priority":0},{"name":"Window","type":"string","format":"duration","description":"","priority":0}],"rows":[{"cells":["node-a","250001n","1000Mi","10.5s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"node-a","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"kubernetes.io/hostname":"node-a","zone":"a"}}}},{"cells":["node-b","1500m","1536Mi","15s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"node-b","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"zone":"b"}}}},{"cells":["node-d","0","1023","1m1s"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"node-d","creationTimestamp":"2024-05-01T10:00:20Z"}}}]})golden"},
  {"/apis/metrics.k8s.io/v1beta1/nodes/node-a", "", "", 200,
   R"golden({"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"node-a","creationTimestamp":"2024-05-01T10:00:20Z","labels":{"kubernetes.io/hostname":"node-a","zone":"a"}},"timestamp":"2024-05-01T10:00:15Z","window":"10.5s","usage":{"cpu":"250001n","memory":"1000Mi"}})golden"},
  {"/apis/metrics.k8s.io/v1beta1/nodes/node-gone", "", "", 404,
   R"golden({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"node \"node-gone\" not found","reason":"NotFound","details":{"name":"node-gone","kind":"node"},"code":404})golden"},
};

// With index lookups (lists walk the snapshot), without (lists iterate the cluster view), and with a
// snapshot whose items are not in order (lists notice and iterate the cluster view).
enum class Mode { kIndexed, kScans, kUnordered };
class ApiGolden : public ::testing::TestWithParam<Mode> {};

TEST_P(ApiGolden, ResponsesAreByteForByteUnchanged) {
  fake::FakeData data;
  data.indexed = GetParam() != Mode::kScans;
  data.reversed = GetParam() == Mode::kUnordered;
  data.nodes = {{"", "node-b", {{"zone", "b"}}}, {"", "node-a", {{"zone", "a"}, {"kubernetes.io/hostname", "node-a"}}}, {"", "node-c", {{"zone", "a"}}}, {"", "node-d", {}}};
  data.node_metrics["node-a"] = {"", {}, kNow - 5 * kSecond, 10500LL * 1000000, {250001, 1048576000}};
  data.node_metrics["node-b"] = {"", {}, kNow - 5 * kSecond - 1, 15 * kSecond, {1500000000, 1610612736}};
  data.node_metrics["node-d"] = {"", {}, kNow - 65 * kSecond, 61 * kSecond, {0, 1023}};
  data.node_metrics["node-gone"] = {"", {}, kNow - 5 * kSecond, 15 * kSecond, {1, 1}};
  data.pods = {{"other", "pod2", {{"app", "web"}}},
               {"default", "web-1", {{"app", "web"}, {"tier", "a<b>&\"c\""}}},
               {"other", "pod1", {{"app", "db"}}},
               {"default", "nometrics", {{"app", "web"}}},
               {"default", "web-0", {{"app", "web"}, {"pod-template-hash", "abc123"}}},
               {"kube-system", "dns", {}},
               {"default", "db-0", {{"app", "db"}}}};
  data.pod_metrics["default/web-1"] = {"", "", {}, kNow - 5 * kSecond, 15012LL * 1000000,
                                       {{"nginx", {12345678, 20 * 1048576}}, {"sidecar", {1000000, 1572864}}}};
  data.pod_metrics["default/web-0"] = {"", "", {}, kNow - 6 * kSecond, 15 * kSecond, {{"nginx", {5000000000ULL, 1000000}}}};
  data.pod_metrics["default/db-0"] = {"", "", {}, kNow - 5 * kSecond, 90 * kSecond, {{"pg", {100000, 3 * 1024 * 1024 * 1024ULL}}}};
  data.pod_metrics["default/ghost"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"c", {1, 1}}}};
  data.pod_metrics["kube-system/dns"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"coredns", {1000, 7}}, {"a", {0, 0}}}};
  data.pod_metrics["other/pod1"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"db", {5000000, 1024}}}};
  data.pod_metrics["other/pod2"] = {"", "", {}, kNow - 5 * kSecond, 15 * kSecond, {{"c", {0, 0}}}};

  for (const auto& g : kGolden) {
    const ApiResponse r = handleRequest({"GET", g.path, g.query, g.accept}, data);
    EXPECT_EQ(r.status, g.status) << g.path << "?" << g.query;
    EXPECT_EQ(r.body, g.body) << g.path << "?" << g.query << " Accept: " << g.accept;
  }
  EXPECT_EQ(data.calls["forEachPodMetrics"] > 0, GetParam() != Mode::kScans);
  EXPECT_EQ(data.calls["forEachPod"] > 0, GetParam() != Mode::kIndexed);
}

INSTANTIATE_TEST_SUITE_P(Lookups, ApiGolden, ::testing::Values(Mode::kIndexed, Mode::kScans, Mode::kUnordered),
                         [](const ::testing::TestParamInfo<Mode>& info) {
                           return info.param == Mode::kIndexed ? "Indexed"
                                  : info.param == Mode::kScans ? "Scans"
                                                               : "Unordered";
                         });

}  // namespace
}  // namespace kmetrics::metrics_api
