// The snapshot's label index (for_each_pod_with_label) and the ABI views' small-array storage.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cluster/abi_view.hpp"
#include "cluster/view_state.hpp"

namespace kmetrics::cluster {
namespace {

ClusterSnapshot::PodPtr make_pod(const std::string& ns, const std::string& name, Labels labels,
                                 size_t containers = 1) {
  PodFields f;
  f.namespace_name = ns;
  f.name = name;
  f.node_name = "node1";
  std::sort(labels.begin(), labels.end());
  for (const auto& [k, v] : labels) f.labels.emplace_back(k, v);
  std::vector<std::string> names;
  for (size_t i = 0; i < containers; ++i) names.push_back("c" + std::to_string(i));
  for (size_t i = 0; i < containers; ++i) f.containers.push_back({names[i], static_cast<int64_t>(i + 1), 0, 0, 0});
  return PodInfo::make(f);
}

// "ns/name" of every pod of `ns` (empty: all) with key=value, sorted.
std::vector<std::string> with_label(const ClusterSnapshot& s, std::string_view ns, std::string_view key,
                                    std::string_view value) {
  std::vector<std::string> out;
  s.for_each_pod_with_label(ns, key, value, [&](const PodInfo& p) {
    out.push_back(std::string(p.namespace_name()) + "/" + std::string(p.name()));
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

// The same answer by a scan, to compare with.
std::vector<std::string> scanned(const ClusterSnapshot& s, std::string_view ns, std::string_view key,
                                 std::string_view value) {
  std::vector<std::string> out;
  s.for_each_pod(ns, [&](const PodInfo& p) {
    const auto v = find_label(p.labels(), key);
    if (v && *v == value) out.push_back(std::string(p.namespace_name()) + "/" + std::string(p.name()));
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

class LabelIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state.replace_nodes({});
    ClusterState::PodList maps;
    // 3,000 pods in 3 namespaces; app cycles over 5 values, every pod has a unique "id" label.
    for (int i = 0; i < 3000; ++i) {
      const std::string ns = "ns" + std::to_string(i % 3);
      const std::string name = "pod-" + std::to_string(i);
      auto p = make_pod(ns, name, {{"app", "app" + std::to_string(i % 5)}, {"id", std::to_string(i)}});
      maps[pod_shard_of(ns, name)].push_back(p);
    }
    state.replace_pods(std::move(maps));
  }

  ClusterState state{LabelSelector()};
};

TEST_F(LabelIndexTest, FindsExactlyThePodsWithTheLabelInOneNamespaceOrAll) {
  auto s = state.publish();
  const auto in_ns1 = with_label(*s, "ns1", "app", "app2");
  EXPECT_EQ(in_ns1.size(), 200u);  // i % 3 == 1 and i % 5 == 2
  EXPECT_EQ(in_ns1, scanned(*s, "ns1", "app", "app2"));
  const auto all = with_label(*s, "", "app", "app2");  // empty namespace: all namespaces
  EXPECT_EQ(all.size(), 600u);
  EXPECT_EQ(all, scanned(*s, "", "app", "app2"));
  EXPECT_EQ(with_label(*s, "", "id", "1234"), (std::vector<std::string>{"ns1/pod-1234"}));
  EXPECT_EQ(with_label(*s, "ns0", "id", "1234"), std::vector<std::string>{});  // wrong namespace
  EXPECT_TRUE(with_label(*s, "nosuch", "app", "app2").empty());
  EXPECT_TRUE(with_label(*s, "ns1", "app", "app9").empty());
  EXPECT_TRUE(with_label(*s, "ns1", "app2", "app").empty());  // key and value are not interchangeable
  EXPECT_TRUE(with_label(*s, "ns1", "ap", "papp2").empty());

  int calls = 0;
  s->for_each_pod_with_label("", "app", "app2", [&](const PodInfo&) { return ++calls < 3; });
  EXPECT_EQ(calls, 3);  // false stops
}

TEST_F(LabelIndexTest, SurvivesIncrementalShardRebuilds) {
  auto s1 = state.publish();
  // Relabel one pod, add one, delete one: only their shards are rebuilt.
  state.upsert_pod(make_pod("ns1", "pod-1", {{"app", "moved"}, {"id", "1"}}));
  state.upsert_pod(make_pod("ns1", "pod-new", {{"app", "app2"}}));
  state.delete_pod("ns1", "pod-7");  // app2
  auto s2 = state.publish();

  EXPECT_EQ(with_label(*s2, "ns1", "app", "moved"), (std::vector<std::string>{"ns1/pod-1"}));
  EXPECT_EQ(with_label(*s2, "ns1", "app", "app1").size(), 199u);  // pod-1 had app1
  const auto app2 = with_label(*s2, "ns1", "app", "app2");
  EXPECT_EQ(app2, scanned(*s2, "ns1", "app", "app2"));
  EXPECT_TRUE(std::binary_search(app2.begin(), app2.end(), "ns1/pod-new"));
  EXPECT_FALSE(std::binary_search(app2.begin(), app2.end(), "ns1/pod-7"));
  // The old snapshot keeps its own index.
  EXPECT_TRUE(with_label(*s1, "ns1", "app", "moved").empty());
  EXPECT_EQ(with_label(*s1, "ns1", "app", "app2").size(), 200u);

  // A shard emptied and refilled.
  for (int i = 0; i < 3000; ++i) state.delete_pod("ns" + std::to_string(i % 3), "pod-" + std::to_string(i));
  state.delete_pod("ns1", "pod-new");
  auto s3 = state.publish();
  EXPECT_EQ(s3->pod_count(), 0u);
  EXPECT_TRUE(with_label(*s3, "", "app", "app2").empty());
  state.upsert_pod(make_pod("ns1", "pod-7", {{"app", "app2"}}));
  auto s4 = state.publish();
  EXPECT_EQ(with_label(*s4, "", "app", "app2"), (std::vector<std::string>{"ns1/pod-7"}));
}

// Two label values whose index hashes collide (32-bit hashes: found by brute force).
std::pair<std::string, std::string> colliding_values(std::string_view key) {
  std::map<uint32_t, std::string> seen;
  for (int i = 0;; ++i) {
    std::string v = "v" + std::to_string(i);
    auto [it, inserted] = seen.emplace(ClusterSnapshot::label_hash(key, v), v);
    if (!inserted) return {it->second, v};
  }
}

TEST_F(LabelIndexTest, HashCollisionsAreVerifiedAgainstThePodsLabels) {
  const auto [a, b] = colliding_values("app");
  ASSERT_NE(a, b);
  ASSERT_EQ(ClusterSnapshot::label_hash("app", a), ClusterSnapshot::label_hash("app", b));
  state.upsert_pod(make_pod("ns1", "pod-a", {{"app", a}}));
  state.upsert_pod(make_pod("ns1", "pod-b", {{"app", b}}));
  state.upsert_pod(make_pod("ns2", "pod-b2", {{"app", b}}));
  auto s = state.publish();
  EXPECT_EQ(with_label(*s, "ns1", "app", a), (std::vector<std::string>{"ns1/pod-a"}));
  EXPECT_EQ(with_label(*s, "", "app", b), (std::vector<std::string>{"ns1/pod-b", "ns2/pod-b2"}));
  EXPECT_EQ(with_label(*s, "ns2", "app", b), (std::vector<std::string>{"ns2/pod-b2"}));
}

TEST(AbiViewSmallArrays, ManyLabelsAndContainersSpillToTheHeap) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{8}, size_t{9}, size_t{40}}) {
    Labels labels;
    for (size_t i = 0; i < n; ++i) labels.emplace_back("k" + std::to_string(100 + i), "v" + std::to_string(i));
    auto p = make_pod("ns", "p", labels, n);
    std::set<std::string> got_labels;
    uint64_t cpu_sum = 0;
    with_pod_info(*p, [&](const kmetrics_pod_info& info) {
      ASSERT_EQ(info.label_count, n);
      ASSERT_EQ(info.container_count, n);
      for (size_t i = 0; i < n; ++i) {
        got_labels.insert(std::string(info.labels[i].key.ptr, info.labels[i].key.len) + "=" +
                          std::string(info.labels[i].value.ptr, info.labels[i].value.len));
        cpu_sum += info.containers[i].cpu_request_millicores;
      }
    });
    EXPECT_EQ(got_labels.size(), n);
    if (n > 0) {
      EXPECT_TRUE(got_labels.count("k100=v0"));
    }
    EXPECT_EQ(cpu_sum, n * (n + 1) / 2);

    NodeInfo node;
    node.name = "n";
    node.labels = labels;
    node.annotations = labels;
    node.annotations.insert(node.annotations.end(), labels.begin(), labels.end());  // 2n annotations
    for (size_t i = 0; i < n; ++i) node.addresses.push_back({"InternalIP", "10.0.0." + std::to_string(i)});
    with_node_info(node, [&](const kmetrics_node_info& info) {
      EXPECT_EQ(info.label_count, n);
      EXPECT_EQ(info.annotation_count, 2 * n);
      ASSERT_EQ(info.address_count, n);
      if (n > 0) {
        EXPECT_EQ(std::string(info.addresses[n - 1].address.ptr, info.addresses[n - 1].address.len),
                  "10.0.0." + std::to_string(n - 1));
        EXPECT_EQ(std::string(info.annotations[2 * n - 1].value.ptr, info.annotations[2 * n - 1].value.len),
                  "v" + std::to_string(n - 1));
      }
    });
  }
}

}  // namespace
}  // namespace kmetrics::cluster
