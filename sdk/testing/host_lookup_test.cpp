// sdk::Host's cluster lookups (findNode, findPod, forEachPodWithLabel): the ABI 1.1 entries when the
// host has them, a scan with forEachNode / forEachPod against a 1.0 host — same answers either way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "kmetrics/sdk/host.hpp"
#include "kmetrics/testing/fake_host.hpp"

namespace kmetrics {
namespace {

class HostLookupTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (abi10()) host_.useAbi10Table();
    host_.addNode(node("node-a", {{"zone", "a"}}));
    host_.addNode(node("node-b", {}));
    host_.addPod(pod("default", "web-1", "node-a", {{"app", "web"}}));
    host_.addPod(pod("default", "web-2", "node-b", {{"app", "web"}}));
    host_.addPod(pod("default", "db-1", "node-b", {{"app", "db"}}));
    host_.addPod(pod("other", "web-1", "node-a", {{"app", "web"}, {"x", "y"}}));
    host_.addPod(pod("other", "nolabels", "node-a", {}));
  }
  static testing::FakeNode node(std::string name, std::map<std::string, std::string> labels) {
    testing::FakeNode n;
    n.name = std::move(name);
    n.labels = std::move(labels);
    return n;
  }
  static testing::FakePod pod(std::string ns, std::string name, std::string node,
                              std::map<std::string, std::string> labels) {
    testing::FakePod p;
    p.pod_namespace = std::move(ns);
    p.name = std::move(name);
    p.node = std::move(node);
    p.labels = std::move(labels);
    return p;
  }
  bool abi10() const { return GetParam(); }
  sdk::Host host() { return sdk::Host(host_.api(), host_.ctx()); }

  // "ns/name" of the pods forEachPodWithLabel gives, sorted.
  std::vector<std::string> withLabel(std::string_view ns, std::string_view key, std::string_view value) {
    std::vector<std::string> out;
    EXPECT_TRUE(host().forEachPodWithLabel(ns, key, value, [&](const sdk::PodView& p) {
      out.push_back(std::string(p.ns()) + "/" + std::string(p.name()));
      return true;
    }).isOk());
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::FakeHost host_;
};

TEST_P(HostLookupTest, FindNode) {
  std::string zone;
  EXPECT_TRUE(host().findNode("node-a", [&](const sdk::NodeView& n) { zone = std::string(n.label("zone").value_or("")); }));
  EXPECT_EQ(zone, "a");
  int calls = 0;
  EXPECT_FALSE(host().findNode("node-c", [&](const sdk::NodeView&) { ++calls; }));
  EXPECT_EQ(calls, 0);
}

TEST_P(HostLookupTest, FindPodNeedsNamespaceAndName) {
  std::string node;
  int calls = 0;
  EXPECT_TRUE(host().findPod("other", "web-1", [&](const sdk::PodView& p) {
    node = std::string(p.node());
    ++calls;
  }));
  EXPECT_EQ(node, "node-a");
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(host().findPod("default", "nolabels", [&](const sdk::PodView&) { ++calls; }));
  EXPECT_FALSE(host().findPod("", "web-1", [&](const sdk::PodView&) { ++calls; }));
  EXPECT_EQ(calls, 1);
}

TEST_P(HostLookupTest, ForEachPodWithLabel) {
  EXPECT_EQ(withLabel("default", "app", "web"), (std::vector<std::string>{"default/web-1", "default/web-2"}));
  EXPECT_EQ(withLabel("", "app", "web"),
            (std::vector<std::string>{"default/web-1", "default/web-2", "other/web-1"}));
  EXPECT_EQ(withLabel("", "x", "y"), (std::vector<std::string>{"other/web-1"}));
  EXPECT_TRUE(withLabel("default", "app", "we").empty());
  EXPECT_TRUE(withLabel("nosuch", "app", "web").empty());
  int calls = 0;
  host().forEachPodWithLabel("", "app", "web", [&](const sdk::PodView&) { return ++calls < 2; });
  EXPECT_EQ(calls, 2);  // false stops
}

TEST_P(HostLookupTest, UsesTheIndexedEntriesOnlyWhenTheHostHasThem) {
  host().findNode("node-a", [](const sdk::NodeView&) {});
  host().findPod("default", "web-1", [](const sdk::PodView&) {});
  host().forEachPodWithLabel("default", "app", "web", [](const sdk::PodView&) { return true; });
  EXPECT_EQ(host().clusterLookupsIndexed(), !abi10());
  const uint64_t indexed = abi10() ? 0 : 1;
  EXPECT_EQ(host_.callCount("cluster_find_node"), indexed);
  EXPECT_EQ(host_.callCount("cluster_find_pod"), indexed);
  EXPECT_EQ(host_.callCount("cluster_for_each_pod_with_label"), indexed);
  EXPECT_EQ(host_.callCount("cluster_for_each_node"), 1 - indexed);
  EXPECT_EQ(host_.callCount("cluster_for_each_pod"), 2 * (1 - indexed));
}

TEST(HostLookup, AnEntryBeyondStructSizeIsNotUsedEvenIfSet) {
  testing::FakeHost fake;
  testing::FakeNode node;
  node.name = "node-a";
  fake.addNode(node);
  kmetrics_host_api api = *fake.api();
  api.struct_size = offsetof(kmetrics_host_api, cluster_find_pod);  // covers find_node only
  EXPECT_TRUE(KMETRICS_HOST_API_HAS(&api, cluster_find_node));
  EXPECT_FALSE(KMETRICS_HOST_API_HAS(&api, cluster_find_pod));
  const sdk::Host host(&api, fake.ctx());
  EXPECT_TRUE(host.findNode("node-a", [](const sdk::NodeView&) {}));
  EXPECT_FALSE(host.findPod("default", "x", [](const sdk::PodView&) {}));
  EXPECT_EQ(fake.callCount("cluster_find_node"), 1u);
  EXPECT_EQ(fake.callCount("cluster_find_pod"), 0u);
  EXPECT_EQ(fake.callCount("cluster_for_each_pod"), 1u);
  api.cluster_find_node = nullptr;  // inside struct_size but NULL: not available either
  EXPECT_FALSE(KMETRICS_HOST_API_HAS(&api, cluster_find_node));
}

INSTANTIATE_TEST_SUITE_P(Abi, HostLookupTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) { return info.param ? "Host10" : "Host11"; });

}  // namespace
}  // namespace kmetrics
