#include "discovery.hpp"

#include <nlohmann/json.hpp>

namespace kmetrics::metrics_api {
namespace {

using nlohmann::json;

constexpr const char* kGroupVersionEntry =
    R"({"name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],)"
    R"("preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}})";

json quantityMap() {
  return {{"type", "object"},
          {"description", "The memory usage is the memory working set."},
          {"additionalProperties", {{"type", "string"}, {"format", "quantity"}}}};
}

// Shared schema definitions; `prefix` is where definitions live ("#/definitions/" or
// "#/components/schemas/").
json definitions(const std::string& prefix) {
  auto r = [&](const std::string& n) { return json{{"$ref", prefix + n}}; };
  const json meta = {{"type", "object"}, {"description", "Standard object metadata."}};
  const json common = {{"kind", {{"type", "string"}}}, {"apiVersion", {{"type", "string"}}}};
  json node = {{"type", "object"},
               {"description", "NodeMetrics sets resource usage metrics of a node."},
               {"required", {"timestamp", "window", "usage"}},
               {"properties",
                {{"kind", common["kind"]},
                 {"apiVersion", common["apiVersion"]},
                 {"metadata", meta},
                 {"timestamp", {{"type", "string"}, {"format", "date-time"}}},
                 {"window", {{"type", "string"}}},
                 {"usage", quantityMap()}}}};
  json container = {{"type", "object"},
                    {"description", "ContainerMetrics sets resource usage metrics of a container."},
                    {"required", {"name", "usage"}},
                    {"properties", {{"name", {{"type", "string"}}}, {"usage", quantityMap()}}}};
  json pod = {{"type", "object"},
              {"description", "PodMetrics sets resource usage metrics of a pod."},
              {"required", {"timestamp", "window", "containers"}},
              {"properties",
               {{"kind", common["kind"]},
                {"apiVersion", common["apiVersion"]},
                {"metadata", meta},
                {"timestamp", {{"type", "string"}, {"format", "date-time"}}},
                {"window", {{"type", "string"}}},
                {"containers", {{"type", "array"}, {"items", r("io.k8s.metrics.pkg.apis.metrics.v1beta1.ContainerMetrics")}}}}}};
  auto list = [&](const std::string& item, const std::string& kind) {
    return json{{"type", "object"},
                {"description", kind + " is a list of " + item + "."},
                {"required", {"items"}},
                {"properties",
                 {{"kind", common["kind"]},
                  {"apiVersion", common["apiVersion"]},
                  {"metadata", meta},
                  {"items", {{"type", "array"}, {"items", r("io.k8s.metrics.pkg.apis.metrics.v1beta1." + item)}}}}},
                {"x-kubernetes-group-version-kind",
                 {{{"group", "metrics.k8s.io"}, {"version", "v1beta1"}, {"kind", kind}}}}};
  };
  node["x-kubernetes-group-version-kind"] = {{{"group", "metrics.k8s.io"}, {"version", "v1beta1"}, {"kind", "NodeMetrics"}}};
  pod["x-kubernetes-group-version-kind"] = {{{"group", "metrics.k8s.io"}, {"version", "v1beta1"}, {"kind", "PodMetrics"}}};
  return {{"io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics", node},
          {"io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetricsList", list("NodeMetrics", "NodeMetricsList")},
          {"io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics", pod},
          {"io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetricsList", list("PodMetrics", "PodMetricsList")},
          {"io.k8s.metrics.pkg.apis.metrics.v1beta1.ContainerMetrics", container}};
}

json operation(const std::string& id, const std::string& kind, const std::string& prefix, bool list) {
  json params = json::array();
  if (list) {
    params.push_back({{"name", "labelSelector"}, {"in", "query"}, {"type", "string"}, {"uniqueItems", true}});
    params.push_back({{"name", "fieldSelector"}, {"in", "query"}, {"type", "string"}, {"uniqueItems", true}});
  }
  return {{"get",
           {{"operationId", id},
            {"produces", {"application/json", "application/vnd.kubernetes.protobuf"}},
            {"schemes", {"https"}},
            {"tags", {"metricsV1beta1"}},
            {"parameters", params},
            {"responses", {{"200", {{"description", "OK"}, {"schema", {{"$ref", prefix + kind}}}}}, {"401", {{"description", "Unauthorized"}}}}},
            {"x-kubernetes-action", list ? "list" : "get"},
            {"x-kubernetes-group-version-kind", {{"group", "metrics.k8s.io"}, {"version", "v1beta1"}, {"kind", kind.substr(kind.rfind('.') + 1)}}}}}};
}

json paths(const std::string& prefix) {
  const std::string p = "io.k8s.metrics.pkg.apis.metrics.v1beta1.";
  const std::string base = "/apis/metrics.k8s.io/v1beta1";
  return {{base + "/nodes", operation("listMetricsV1beta1NodeMetrics", p + "NodeMetricsList", prefix, true)},
          {base + "/nodes/{name}", operation("readMetricsV1beta1NodeMetrics", p + "NodeMetrics", prefix, false)},
          {base + "/pods", operation("listMetricsV1beta1PodMetricsForAllNamespaces", p + "PodMetricsList", prefix, true)},
          {base + "/namespaces/{namespace}/pods", operation("listMetricsV1beta1NamespacedPodMetrics", p + "PodMetricsList", prefix, true)},
          {base + "/namespaces/{namespace}/pods/{name}", operation("readMetricsV1beta1NamespacedPodMetrics", p + "PodMetrics", prefix, false)}};
}

}  // namespace

const std::string& apiResourceList() {
  static const std::string s =
      R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[)"
      R"({"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},)"
      R"({"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]})";
  return s;
}

const std::string& apiGroup() {
  static const std::string s = std::string(R"({"kind":"APIGroup","apiVersion":"v1",)") + (kGroupVersionEntry + 1);
  return s;
}

const std::string& apiGroupList() {
  static const std::string s =
      std::string(R"({"kind":"APIGroupList","apiVersion":"v1","groups":[)") + kGroupVersionEntry + "]}";
  return s;
}

const std::string& openApiV2() {
  static const std::string s = json{{"swagger", "2.0"},
                                    {"info", {{"title", "Kubernetes metrics-server"}, {"version", "v0.9.0"}}},
                                    {"paths", paths("#/definitions/")},
                                    {"definitions", definitions("#/definitions/")}}
                                   .dump();
  return s;
}

const std::string& openApiV3Index() {
  static const std::string s =
      R"({"paths":{"apis/metrics.k8s.io/v1beta1":{"serverRelativeURL":"/openapi/v3/apis/metrics.k8s.io/v1beta1"}}})";
  return s;
}

const std::string& openApiV3Group() {
  static const std::string s = [] {
    json doc = {{"openapi", "3.0.0"},
                {"info", {{"title", "Kubernetes metrics-server"}, {"version", "v0.9.0"}}},
                {"paths", json::object()},
                {"components", {{"schemas", definitions("#/components/schemas/")}}}};
    // OpenAPI v3 operations describe responses by media type rather than `schema`/`produces`.
    const json v2_paths = paths("#/components/schemas/");
    for (const auto& [path, item] : v2_paths.items()) {
      json op = item["get"];
      const json schema = op["responses"]["200"]["schema"];
      op.erase("produces");
      op.erase("schemes");
      op["responses"]["200"] = {{"description", "OK"}, {"content", {{"application/json", {{"schema", schema}}}}}};
      json params = json::array();
      for (auto& p : op["parameters"]) {
        params.push_back({{"name", p["name"]}, {"in", "query"}, {"schema", {{"type", "string"}}}});
      }
      op["parameters"] = params;
      doc["paths"][path] = {{"get", op}};
    }
    return doc.dump();
  }();
  return s;
}

}  // namespace kmetrics::metrics_api
