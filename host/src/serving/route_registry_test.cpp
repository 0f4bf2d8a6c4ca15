#include "serving/route_registry.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace kmetrics {
namespace {

std::string call(const RouteRegistry& r, kmetrics_listener l, const std::string& path) {
  auto fn = r.find(l, path);
  if (!fn) return "<none>";
  RouteRequestData data;
  data.method = "GET";
  data.path = path;
  kmetrics_route_request req = data.abi();
  ResponseBuffer out;
  (*fn)(req, out.abi());
  return out.body();
}

void handler_a(void* user, const kmetrics_route_request*, const kmetrics_route_response* resp) {
  const char* tag = static_cast<const char*>(user);
  resp->write_body(resp->host_ctx, kmetrics_str{tag, std::strlen(tag)});
}

TEST(RouteRegistry, LongestPrefixWinsPerListener) {
  RouteRegistry r;
  static const char kApis[] = "apis", kMetrics[] = "metrics", kHeapster[] = "heapster";
  ASSERT_EQ(r.add(KMETRICS_LISTENER_SECURE, "/apis", handler_a, (void*)kApis), KMETRICS_OK);
  ASSERT_EQ(r.add(KMETRICS_LISTENER_SECURE, "/apis/metrics.k8s.io", handler_a, (void*)kMetrics), KMETRICS_OK);
  ASSERT_EQ(r.add(KMETRICS_LISTENER_HEAPSTER, "/api/v1/model", handler_a, (void*)kHeapster), KMETRICS_OK);
  EXPECT_EQ(call(r, KMETRICS_LISTENER_SECURE, "/apis/metrics.k8s.io/v1beta1/nodes"), "metrics");
  EXPECT_EQ(call(r, KMETRICS_LISTENER_SECURE, "/apis/other"), "apis");
  EXPECT_EQ(call(r, KMETRICS_LISTENER_SECURE, "/api/v1/model/nodes"), "<none>");
  EXPECT_EQ(call(r, KMETRICS_LISTENER_HEAPSTER, "/api/v1/model/nodes"), "heapster");
  EXPECT_EQ(call(r, KMETRICS_LISTENER_HEAPSTER, "/apis/metrics.k8s.io"), "<none>");
}

TEST(RouteRegistry, RejectsBadRegistrations) {
  RouteRegistry r;
  std::string err;
  EXPECT_EQ(r.add(KMETRICS_LISTENER_SECURE, "apis", handler_a, nullptr, &err), KMETRICS_ERR_INVALID_ARGUMENT);
  EXPECT_NE(err.find("must start with '/'"), std::string::npos);
  EXPECT_EQ(r.add(KMETRICS_LISTENER_SECURE, "/x", nullptr, nullptr, &err), KMETRICS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(r.add(KMETRICS_LISTENER_SECURE, "/x", handler_a, nullptr, &err), KMETRICS_OK);
  EXPECT_EQ(r.add(KMETRICS_LISTENER_SECURE, "/x", handler_a, nullptr, &err), KMETRICS_ERR_INVALID_ARGUMENT);
  EXPECT_NE(err.find("already registered"), std::string::npos);
  EXPECT_EQ(r.add(static_cast<kmetrics_listener>(7), "/y", handler_a, nullptr, &err), KMETRICS_ERR_INVALID_ARGUMENT);
}

TEST(ResponseBuffer, StatusAndHeadersFixedOnceBodyStarts) {
  ResponseBuffer b(8);
  b.set_status(201);
  b.add_header("X-A", "1");
  b.add_header("Bad\r\nName", "x");
  b.add_header("X-B", "evil\r\nInjected: 1");
  b.add_header("Content-Length", "99");
  b.write("1234");
  b.set_status(500);
  b.add_header("X-C", "late");
  EXPECT_EQ(b.status(), 201);
  ASSERT_EQ(b.headers().size(), 1u);
  EXPECT_EQ(b.headers()[0].first, "X-A");
  b.write("56789");
  EXPECT_TRUE(b.overflowed());
}

}  // namespace
}  // namespace kmetrics
