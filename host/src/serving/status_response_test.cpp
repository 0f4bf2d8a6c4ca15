#include "serving/status_response.hpp"

#include <gtest/gtest.h>

#include "serving/request_attributes.hpp"

namespace kmetrics {
namespace {

TEST(StatusResponse, UnauthorizedIsKubeApiserversBody) {
  auto e = status_unauthorized();
  EXPECT_EQ(e.code, 401);
  EXPECT_EQ(e.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"
            "\n");
}

TEST(StatusResponse, ForbiddenNamespacedResource) {
  auto a = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "");
  auto e = status_forbidden(a.api_group, a.resource, a.name, forbidden_message("alice", a));
  EXPECT_EQ(e.code, 403);
  EXPECT_EQ(e.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods.metrics.k8s.io is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"metrics.k8s.io\" in the namespace \"default\"","reason":"Forbidden","details":{"group":"metrics.k8s.io","kind":"pods"},"code":403})"
            "\n");
}

TEST(StatusResponse, ForbiddenClusterScopeAndNamed) {
  auto a = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/nodes", "");
  EXPECT_EQ(forbidden_message("x", a),
            R"(User "x" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope)");
  auto n = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n1", "");
  auto e = status_forbidden(n.api_group, n.resource, n.name, forbidden_message("x", n));
  EXPECT_NE(e.body.find(R"("message":"nodes.metrics.k8s.io \"n1\" is forbidden: User \"x\" cannot get resource \"nodes\")"),
            std::string::npos)
      << e.body;
  EXPECT_NE(e.body.find(R"("details":{"name":"n1","group":"metrics.k8s.io","kind":"nodes"})"), std::string::npos);
}

TEST(StatusResponse, ForbiddenNonResource) {
  auto a = request_attributes("GET", "/apis/metrics.k8s.io/v1beta1", "");
  ASSERT_FALSE(a.resource_request);
  auto e = status_forbidden("", "", "", forbidden_message("system:anonymous", a));
  EXPECT_EQ(e.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"system:anonymous\" cannot get path \"/apis/metrics.k8s.io/v1beta1\"","reason":"Forbidden","details":{},"code":403})"
            "\n");
}

TEST(StatusResponse, NotFoundAndTooManyRequests) {
  EXPECT_EQ(status_not_found().body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404})"
            "\n");
  auto e = status_too_many_requests(1);
  EXPECT_EQ(e.code, 429);
  EXPECT_NE(e.body.find(R"("reason":"TooManyRequests","details":{"retryAfterSeconds":1},"code":429)"), std::string::npos);
}

TEST(StatusResponse, GoQuote) {
  EXPECT_EQ(go_quote("a\"b\\c\n"), R"("a\"b\\c\n")");
  EXPECT_EQ(go_quote("x\x01"), R"("x\x01")");
}

}  // namespace
}  // namespace kmetrics
