// HostDataSource over FakeHost, as an ABI 1.1 host (index lookups) and as a 1.0 host (scans).
#include "host_data_source.hpp"

#include <gtest/gtest.h>
#include <kmetrics/testing/fake_host.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace kmetrics::metrics_api {
namespace {

class HostDataSourceTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) host_.useAbi10Table();
    testing::FakeNode node;
    node.name = "node-a";
    node.labels = {{"zone", "a"}};
    host_.addNode(node);
    for (const char* name : {"web-1", "web-2", "db-1"}) {
      testing::FakePod p;
      p.pod_namespace = "default";
      p.name = name;
      p.node = "node-a";
      p.labels = {{"tier", "front"}, {"app", std::string(name).substr(0, std::string(name).find('-'))}};
      host_.addPod(p);
    }
  }
  bool abi10() const { return GetParam(); }

  testing::FakeHost host_;
};

TEST_P(HostDataSourceTest, LookupsAndLabelQueries) {
  HostDataSource data(sdk::Host(host_.api(), host_.ctx()));
  EXPECT_EQ(data.lookupsAreIndexed(), !abi10());

  Labels labels;
  EXPECT_TRUE(data.findPod("default", "web-2", [&](const ObjectView& o) {
    EXPECT_EQ(o.name(), "web-2");
    EXPECT_EQ(o.ns(), "default");
    EXPECT_EQ(o.label("app"), std::optional<std::string_view>("web"));
    o.labels(labels);
  }));
  EXPECT_EQ(labels, (Labels{{"app", "web"}, {"tier", "front"}}));  // sorted by key
  EXPECT_FALSE(data.findPod("default", "nosuch", [](const ObjectView&) {}));
  EXPECT_TRUE(data.findNode("node-a", [&](const ObjectView& o) { o.labels(labels); }));
  EXPECT_EQ(labels, (Labels{{"zone", "a"}}));  // the previous content is replaced

  std::vector<std::string> web;
  data.forEachPodWithLabel("default", "app", "web", [&](const ObjectView& o) {
    web.emplace_back(o.name());
    return true;
  });
  std::sort(web.begin(), web.end());
  EXPECT_EQ(web, (std::vector<std::string>{"web-1", "web-2"}));
  EXPECT_EQ(host_.callCount("cluster_find_pod"), abi10() ? 0u : 2u);
}

INSTANTIATE_TEST_SUITE_P(Abi, HostDataSourceTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) { return info.param ? "Host10" : "Host11"; });

}  // namespace
}  // namespace kmetrics::metrics_api
