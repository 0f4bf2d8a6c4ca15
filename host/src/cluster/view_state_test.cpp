// Object decoding, snapshot publication (copy-on-write shards), node selector, queries.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cluster/abi_view.hpp"
#include "cluster/view_state.hpp"
#include "cluster/object_decode.hpp"

namespace kmetrics::cluster {
namespace {

using nlohmann::json;

// The objects are built with nlohmann for readability and decoded as the reflector decodes text.
NodeInfo node_from(const json& object) { return decode_node_json(object.dump()); }
PodPtr pod_from(const json& object) { return decode_pod_json(object.dump()); }

json node_json(const std::string& name, json labels = json::object(), bool ready = true) {
  return json{{"metadata", {{"name", name}, {"labels", labels}, {"annotations", {{"a", "b"}}},
                            {"resourceVersion", "7"}, {"creationTimestamp", "2023-06-09T06:16:01Z"}}},
              {"status",
               {{"addresses", json::array({{{"type", "InternalIP"}, {"address", "10.0.0.1"}},
                                           {{"type", "Hostname"}, {"address", name}}})},
                {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
                {"conditions", json::array({{{"type", "MemoryPressure"}, {"status", "False"}},
                                            {{"type", "Ready"}, {"status", ready ? "True" : "False"}}})}}}};
}

json pod_json(const std::string& ns, const std::string& name, const std::string& phase = "Running") {
  return json{{"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"app", "web"}}},
                            {"creationTimestamp", "2021-10-03T09:18:32.5Z"}}},
              {"spec", {{"nodeName", "node1"},
                        {"containers", json::array({{{"name", "main"},
                                                     {"resources", {{"requests", {{"cpu", "250m"}, {"memory", "64Mi"}}},
                                                                    {"limits", {{"cpu", "1"}, {"memory", "1G"}}}}}},
                                                    {{"name", "sidecar"}}})}}},
              {"status", {{"phase", phase}}}};
}

TEST(ObjectDecodeTest, Node) {
  NodeInfo n = node_from(node_json("node1", {{"kubernetes.io/os", "linux"}}));
  EXPECT_EQ(n.name, "node1");
  ASSERT_EQ(n.labels.size(), 1u);
  EXPECT_EQ(n.labels[0].second, "linux");
  EXPECT_EQ(n.annotations.size(), 1u);
  ASSERT_EQ(n.addresses.size(), 2u);
  EXPECT_EQ(n.addresses[0].type, "InternalIP");
  EXPECT_EQ(n.addresses[0].address, "10.0.0.1");
  EXPECT_EQ(n.kubelet_port, 10250);
  EXPECT_TRUE(n.ready);
  EXPECT_EQ(n.creation_unix_ns, 1686291361LL * 1000000000);
  EXPECT_FALSE(node_from(node_json("n2", json::object(), false)).ready);
  EXPECT_THROW(node_from(json{{"metadata", {{"labels", {{"a", 1}}}}}}), std::runtime_error);
}

TEST(ObjectDecodeTest, Pod) {
  PodPtr p = pod_from(pod_json("default", "web-1"));
  EXPECT_EQ(p->namespace_name(), "default");
  EXPECT_EQ(p->node_name(), "node1");
  ASSERT_EQ(p->containers().size(), 2u);
  EXPECT_EQ(p->containers()[0].name, "main");
  EXPECT_EQ(p->containers()[0].cpu_request_millicores, 250);
  EXPECT_EQ(p->containers()[0].cpu_limit_millicores, 1000);
  EXPECT_EQ(p->containers()[0].memory_request_bytes, 64LL << 20);
  EXPECT_EQ(p->containers()[0].memory_limit_bytes, 1000000000);
  EXPECT_EQ(p->containers()[1].cpu_request_millicores, 0);
  EXPECT_EQ(p->creation_unix_ns(), 1633252712LL * 1000000000 + 500000000);
}

TEST(ObjectDecodeTest, Rfc3339) {
  EXPECT_EQ(parse_rfc3339_ns("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ns("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_rfc3339_ns("2000-02-29T12:00:00.123456789Z"), 951825600123456789LL);
  EXPECT_FALSE(parse_rfc3339_ns("2000-02-29 12:00"));
  EXPECT_FALSE(parse_rfc3339_ns("2000-13-01T00:00:00Z"));
}

PodPtr pod(const std::string& ns, const std::string& name) { return pod_from(pod_json(ns, name)); }

TEST(ClusterStateTest, PublishSharesUnchangedShards) {
  ClusterState state{LabelSelector()};
  ClusterState::PodList maps;
  for (int i = 0; i < 2000; ++i) {
    auto p = pod("ns" + std::to_string(i % 7), "pod-" + std::to_string(i));
    maps[pod_shard_of(p->namespace_name(), p->name())].push_back(p);
  }
  state.replace_pods(std::move(maps));
  auto s1 = state.publish();
  EXPECT_FALSE(s1->synced());  // nodes not listed yet
  EXPECT_TRUE(s1->pods_synced());
  EXPECT_EQ(s1->pod_count(), 2000u);
  EXPECT_EQ(state.publish(), s1);  // nothing changed: same snapshot

  state.upsert_pod(pod("ns3", "pod-new"));
  auto s2 = state.publish();
  EXPECT_EQ(s2->pod_count(), 2001u);
  EXPECT_EQ(s1->pod_count(), 2000u);  // the old snapshot is untouched
  EXPECT_EQ(s1->find_pod("ns3", "pod-new"), nullptr);
  ASSERT_NE(s2->find_pod("ns3", "pod-new"), nullptr);
  // Unchanged pods are the very same objects in both snapshots (shared, not copied).
  int found_same = 0;
  s2->for_each_pod("ns0", [&](const PodInfo& p) {
    if (s1->find_pod(p.namespace_name(), p.name()) == &p) ++found_same;
    return true;
  });
  EXPECT_GT(found_same, 280);
  EXPECT_EQ(s2->generation(), s1->generation() + 1);

  state.delete_pod("ns3", "pod-new");
  state.delete_pod("ns3", "never-existed");
  auto s3 = state.publish();
  EXPECT_EQ(s3->pod_count(), 2000u);
  EXPECT_EQ(s3->find_pod("ns3", "pod-new"), nullptr);
}

// The shard vectors are the writer's truth: replace, update and delete work on copies of the
// published shards, never on the published ones.
TEST(ClusterStateTest, ListsAndEventsEditCopiesOfPublishedShards) {
  ClusterState state{LabelSelector()};
  ClusterState::PodList list;
  auto first = pod("a", "dup");
  auto second = pod("a", "dup");
  const size_t shard = pod_shard_of("a", "dup");
  list[shard].push_back(first);
  list[pod_shard_of("a", "other")].push_back(pod("a", "other"));
  list[shard].push_back(second);  // a later duplicate wins, as with one upsert after the other
  state.replace_pods(std::move(list));
  auto s1 = state.publish();
  EXPECT_EQ(s1->pod_count(), 2u);
  EXPECT_EQ(s1->find_pod("a", "dup"), second.get());

  state.delete_pod("a", "absent");  // nothing to delete: nothing to publish
  EXPECT_FALSE(state.dirty());
  EXPECT_EQ(state.publish(), s1);

  auto third = pod("a", "dup");
  state.upsert_pod(third);  // replaces: the count stays
  state.delete_pod("a", "other");
  state.upsert_pod(pod("a", "zz"));
  state.delete_pod("a", "zz");  // added and removed within one publication
  auto s2 = state.publish();
  EXPECT_EQ(s2->pod_count(), 1u);
  EXPECT_EQ(s2->find_pod("a", "dup"), third.get());
  EXPECT_EQ(s2->find_pod("a", "other"), nullptr);
  EXPECT_EQ(s2->find_pod("a", "zz"), nullptr);
  // The first snapshot is untouched.
  EXPECT_EQ(s1->pod_count(), 2u);
  EXPECT_EQ(s1->find_pod("a", "dup"), second.get());
  EXPECT_NE(s1->find_pod("a", "other"), nullptr);

  // Many events in one shard between two publications keep it sorted (namespace order matters).
  for (int i = 99; i >= 0; --i) state.upsert_pod(pod(i % 2 ? "b" : "a", "p" + std::to_string(i)));
  auto s3 = state.publish();
  EXPECT_EQ(s3->pod_count(), 101u);
  for (int i = 0; i < 100; ++i) EXPECT_NE(s3->find_pod(i % 2 ? "b" : "a", "p" + std::to_string(i)), nullptr) << i;
  int in_b = 0;
  s3->for_each_pod("b", [&](const PodInfo& p) {
    EXPECT_EQ(p.namespace_name(), "b");
    return ++in_b;
  });
  EXPECT_EQ(in_b, 50);
}

TEST(ClusterStateTest, QueriesByNamespaceAndLabels) {
  ClusterState state{LabelSelector()};
  state.replace_nodes({});
  state.replace_pods({});
  state.upsert_pod(pod("a", "p1"));
  state.upsert_pod(pod("a", "p2"));
  state.upsert_pod(pod("b", "p1"));
  auto s = state.publish();
  EXPECT_TRUE(s->synced());
  std::vector<std::string> in_a;
  s->for_each_pod("a", [&](const PodInfo& p) {
    in_a.emplace_back(p.name());
    return true;
  });
  std::sort(in_a.begin(), in_a.end());
  EXPECT_EQ(in_a, (std::vector<std::string>{"p1", "p2"}));
  int all = 0;
  s->for_each_pod("", [&](const PodInfo&) { return ++all < 100; });
  EXPECT_EQ(all, 3);
  int web = 0;
  s->for_each_pod_matching("", LabelSelector::parse("app=web"), [&](const PodInfo&) { return ++web; });
  EXPECT_EQ(web, 3);
  int none = 0;
  s->for_each_pod_matching("", LabelSelector::parse("app=db"), [&](const PodInfo&) { return ++none; });
  EXPECT_EQ(none, 0);
  EXPECT_EQ(s->pods_on_node("node1").size(), 3u);
  int stopped = 0;
  s->for_each_pod("", [&](const PodInfo&) {
    ++stopped;
    return false;
  });
  EXPECT_EQ(stopped, 1);
}

TEST(ClusterStateTest, NodeSelectorFiltersNodesOnly) {
  ClusterState state{LabelSelector::parse("metrics-server-skip!=true")};
  ClusterState::NodeMap nodes;
  for (const char* n : {"node1", "node2", "node3"}) {
    json labels = std::string(n) == "node2" ? json{{"metrics-server-skip", "true"}} : json::object();
    nodes[n] = std::make_shared<const NodeInfo>(node_from(node_json(n, labels)));
  }
  state.replace_nodes(std::move(nodes));
  auto s = state.publish();
  EXPECT_EQ(s->node_count(), 2u);
  EXPECT_NE(s->find_node("node1"), nullptr);
  EXPECT_EQ(s->find_node("node2"), nullptr);
  // A label change moves a node in or out of the view.
  state.upsert_node(std::make_shared<const NodeInfo>(node_from(node_json("node2"))));
  state.upsert_node(std::make_shared<const NodeInfo>(node_from(node_json("node3", {{"metrics-server-skip", "true"}}))));
  s = state.publish();
  std::vector<std::string> names;
  s->for_each_node([&](const NodeInfo& n) {
    names.push_back(n.name);
    return true;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"node1", "node2"}));
}

}  // namespace
}  // namespace kmetrics::cluster

namespace kmetrics::cluster {
namespace {

TEST(AbiViewTest, ForEachNodeAndPod) {
  ClusterState state{LabelSelector()};
  ClusterState::NodeMap nodes;
  nodes["node1"] = std::make_shared<const NodeInfo>(node_from(node_json("node1", {{"zone", "a"}})));
  nodes["node2"] = std::make_shared<const NodeInfo>(node_from(node_json("node2")));
  state.replace_nodes(std::move(nodes));
  state.replace_pods({});
  state.upsert_pod(pod("a", "p1"));
  state.upsert_pod(pod("b", "p2"));
  auto s = state.publish();

  struct Seen {
    std::vector<std::string> names;
    int stop_after = 100;
  } seen;
  auto node_cb = [](void* u, const kmetrics_node_info* n) {
    auto* s = static_cast<Seen*>(u);
    std::string line(n->name.ptr, n->name.len);
    line += " port=" + std::to_string(n->kubelet_port) + " ready=" + std::to_string(n->ready) +
            " labels=" + std::to_string(n->label_count) + " addr=" + std::string(n->addresses[0].address.ptr, n->addresses[0].address.len);
    s->names.push_back(line);
    return --s->stop_after == 0 ? 1 : 0;
  };
  EXPECT_EQ(abi_for_each_node(*s, &seen, node_cb), KMETRICS_OK);
  EXPECT_EQ(seen.names, (std::vector<std::string>{"node1 port=10250 ready=1 labels=1 addr=10.0.0.1",
                                                  "node2 port=10250 ready=1 labels=0 addr=10.0.0.1"}));
  seen = {};
  seen.stop_after = 1;
  abi_for_each_node(*s, &seen, node_cb);
  EXPECT_EQ(seen.names.size(), 1u);

  std::vector<std::string> pods;
  auto pod_cb = [](void* u, const kmetrics_pod_info* p) {
    auto* v = static_cast<std::vector<std::string>*>(u);
    v->push_back(std::string(p->pod_namespace.ptr, p->pod_namespace.len) + "/" + std::string(p->name.ptr, p->name.len) +
                 " cpu=" + std::to_string(p->containers[0].cpu_request_millicores) +
                 " mem=" + std::to_string(p->containers[0].memory_limit_bytes) + " n=" + std::to_string(p->container_count));
    return 0;
  };
  EXPECT_EQ(abi_for_each_pod(*s, kmetrics_str{"b", 1}, &pods, pod_cb), KMETRICS_OK);
  EXPECT_EQ(pods, (std::vector<std::string>{"b/p2 cpu=250 mem=1000000000 n=2"}));
  pods.clear();
  abi_for_each_pod(*s, kmetrics_str{nullptr, 0}, &pods, pod_cb);
  EXPECT_EQ(pods.size(), 2u);
}

}  // namespace
}  // namespace kmetrics::cluster
