#include "plugin/node_endpoint.hpp"

#include <gtest/gtest.h>

namespace kmetrics::kubelet {
namespace {

struct NodeFixture {
  std::vector<kmetrics_node_address> addresses;
  std::vector<kmetrics_label> annotations;
  kmetrics_node_info info{};

  NodeFixture() {
    addresses = {{sdk::toStr("Hostname"), sdk::toStr("node-1")},
                 {sdk::toStr("InternalIP"), sdk::toStr("10.0.0.7")},
                 {sdk::toStr("ExternalIP"), sdk::toStr("fd00::7")}};
    info.struct_size = sizeof(info);
    info.name = sdk::toStr("node-1");
    info.addresses = addresses.data();
    info.address_count = addresses.size();
    info.kubelet_port = 10255;
  }
};

TEST(NodeEndpoint, FirstPreferredTypeWins) {
  NodeFixture f;
  std::string err;
  EXPECT_EQ(resolveAddress(sdk::NodeView(f.info), {"InternalIP", "ExternalIP", "Hostname"}, &err), "10.0.0.7");
  EXPECT_EQ(resolveAddress(sdk::NodeView(f.info), {"InternalDNS", "Hostname"}, &err), "node-1");
  EXPECT_FALSE(resolveAddress(sdk::NodeView(f.info), {"InternalDNS", "ExternalDNS"}, &err).has_value());
  EXPECT_EQ(err, "no address matched types [InternalDNS ExternalDNS]");
}

TEST(NodeEndpoint, PortSchemeAndIpv6) {
  NodeFixture f;
  std::string err;
  EndpointOptions o{{"InternalIP"}, 10250, false, false};
  EXPECT_EQ(baseUrl(sdk::NodeView(f.info), o, &err), "https://10.0.0.7:10250");
  o.use_node_status_port = true;
  EXPECT_EQ(baseUrl(sdk::NodeView(f.info), o, &err), "https://10.0.0.7:10255");
  o.plain_http = true;
  o.preferred_address_types = {"ExternalIP"};
  EXPECT_EQ(baseUrl(sdk::NodeView(f.info), o, &err), "http://[fd00::7]:10255");
  f.info.kubelet_port = 0;  // unknown status port: fall back to --kubelet-port
  EXPECT_EQ(baseUrl(sdk::NodeView(f.info), o, &err), "http://[fd00::7]:10250");
}

TEST(NodeEndpoint, AnnotationOverridesResourceMetricsPath) {
  NodeFixture f;
  EXPECT_EQ(resourceMetricsPath(sdk::NodeView(f.info)), "/metrics/resource");
  f.annotations = {{sdk::toStr("metrics.k8s.io/resource-metrics-path"), sdk::toStr("/custom/metrics")}};
  f.info.annotations = f.annotations.data();
  f.info.annotation_count = f.annotations.size();
  EXPECT_EQ(resourceMetricsPath(sdk::NodeView(f.info)), "/custom/metrics");
}

}  // namespace
}  // namespace kmetrics::kubelet
