#include "serving/request_attributes.hpp"

#include <gtest/gtest.h>

namespace kmetrics {
namespace {

TEST(RequestAttributes, ListPodsInNamespace) {
  auto a = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods", "labelSelector=a%3Db");
  EXPECT_TRUE(a.resource_request);
  EXPECT_EQ(a.verb, "list");
  EXPECT_EQ(a.api_group, "metrics.k8s.io");
  EXPECT_EQ(a.api_version, "v1beta1");
  EXPECT_EQ(a.namespace_, "kube-system");
  EXPECT_EQ(a.resource, "pods");
  EXPECT_EQ(a.name, "");
}

TEST(RequestAttributes, GetNamedPodAndNode) {
  auto p = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/web-1", "");
  EXPECT_EQ(p.verb, "get");
  EXPECT_EQ(p.name, "web-1");
  auto n = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/nodes/node-a", "");
  EXPECT_EQ(n.verb, "get");
  EXPECT_EQ(n.namespace_, "");
  EXPECT_EQ(n.resource, "nodes");
  EXPECT_EQ(n.name, "node-a");
}

TEST(RequestAttributes, WatchFromQuery) {
  EXPECT_EQ(request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/pods", "watch=true").verb, "watch");
  EXPECT_EQ(request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/pods", "watch=1&x=y").verb, "watch");
  EXPECT_EQ(request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/pods", "watch=false").verb, "list");
}

TEST(RequestAttributes, DiscoveryAndOtherPathsAreNonResource) {
  for (const char* path : {"/apis/metrics.k8s.io/v1beta1", "/apis/metrics.k8s.io", "/apis", "/metrics", "/",
                           "/openapi/v2", "/api"}) {
    auto a = request_attributes("GET", path, "");
    EXPECT_FALSE(a.resource_request) << path;
    EXPECT_EQ(a.verb, "get");
    EXPECT_EQ(a.path, path);
  }
  EXPECT_EQ(request_attributes("POST", "/metrics", "").verb, "post");
}

TEST(RequestAttributes, CoreGroupAndSubresource) {
  auto a = request_attributes("GET", "/api/v1/namespaces/ns/pods/p/log", "");
  EXPECT_TRUE(a.resource_request);
  EXPECT_EQ(a.api_group, "");
  EXPECT_EQ(a.resource, "pods");
  EXPECT_EQ(a.subresource, "log");
  EXPECT_EQ(forbidden_message("u", a),
            R"(User "u" cannot get resource "pods/log" in API group "" in the namespace "ns")");
  auto ns = request_attributes("GET", "/api/v1/namespaces/ns", "");
  EXPECT_EQ(ns.resource, "namespaces");
  EXPECT_EQ(ns.name, "ns");
}

}  // namespace
}  // namespace kmetrics
