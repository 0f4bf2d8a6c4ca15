// Kubelet faults and cluster changes at runtime (sim control API), with a short resolution. In
// every case: the faulty node drops out (absent or `<unknown>` in `kubectl top node`), every healthy
// node and its pods are still served with truth values, and kmetrics stays alive.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "kubectl_runner.hpp"
#include "metrics_api.hpp"
#include "sim_fixture.hpp"
#include "top_checks.hpp"

namespace kmetrics::e2e {
namespace {

// Resolution 10 s (metrics-server's minimum), kubelet timeout 3 s: a hung kubelet costs one timeout
// per tick, and each wait below is bounded by several resolutions.
constexpr auto kBound = std::chrono::seconds(60);

class Faults : public ::testing::Test {
 protected:
  void SetUp() override {
    kubectl_ = newestKubectl();
    ASSERT_FALSE(kubectl_.path.empty()) << "no kubectl.1.27 … kubectl.1.33 in /usr/lib/google-cloud-sdk/bin";
    ASSERT_TRUE(cluster().kmetricsAlive()) << cluster().kmetricsExit();
  }

  // Every fault is reset and every Running pod served again before the next test starts.
  void TearDown() override {
    Truth t = cluster().truth();
    for (const auto& n : t.nodes) {
      if (n.fault != "none") cluster().simPost("/sim/nodes/" + n.name + "/fault?mode=none");
    }
    for (const auto& n : added_nodes_) {
      if (t.node(n)) cluster().simDelete("/sim/nodes/" + n);
    }
    for (const auto& p : added_pods_) {
      if (t.pod(p.first, p.second)) cluster().simDelete("/sim/pods/" + p.first + "/" + p.second);
    }
    EXPECT_TRUE(cluster().kmetricsAlive()) << "kmetrics exited: " << cluster().kmetricsExit() << "\n"
                                           << cluster().kmetricsLogTail();
    const bool recovered = waitUntil([] { return everythingServed(cluster().truth()); }, kBound);
    EXPECT_TRUE(recovered) << "not every node and pod was served again after the fault was reset";
  }

  static bool everythingServed(const Truth& t) {
    auto nodes = servedNodes(cluster());
    auto pods = servedPods(cluster());
    for (const auto& n : t.nodes) {
      if (!nodes.count(n.name)) return false;
    }
    for (const auto& p : t.pods) {
      if (p.running() && !pods.count(p.ns + "/" + p.name)) return false;
    }
    return true;
  }

  void setFault(const std::string& node, const std::string& mode, int delay_ms = 0) {
    std::string path = "/sim/nodes/" + node + "/fault?mode=" + mode;
    if (delay_ms > 0) path += "&delay_ms=" + std::to_string(delay_ms);
    cluster().simPost(path);
  }

  TopTable top(const std::vector<std::string>& args) {
    auto r = runKubectl(kubectl_, cluster().kubeconfig("admin"), args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    try {
      return parseTopTable(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
      return {};
    }
  }

  bool nodeServed(const std::string& node) { return servedNodes(cluster()).count(node) > 0; }

  // kubectl's view with `down` (may be empty) not served: healthy nodes and their pods are present
  // with truth values; `down` is `<unknown>` or absent, and its pods are absent.
  void expectServedExcept(const std::string& down) {
    const Truth t = cluster().truth();
    auto nodes = top({"top", "node"});
    std::set<std::string> seen;
    for (const auto& row : nodes.rows) {
      const auto& name = row.at("NAME");
      seen.insert(name);
      if (name == down) {
        EXPECT_TRUE(row.unknown) << "faulty node " << down << " still shown with values: '" << row.raw << "'";
        continue;
      }
      EXPECT_TRUE(nodeRowMatches(row, t));
    }
    for (const auto& n : t.nodes) {
      if (n.name != down) {
        EXPECT_TRUE(seen.count(n.name)) << "healthy node " << n.name << " missing from top node";
      }
    }
    auto pods = top({"top", "pod", "-A"});
    std::set<std::string> pods_seen;
    for (const auto& row : pods.rows) {
      const auto key = row.at("NAMESPACE") + "/" + row.at("NAME");
      pods_seen.insert(key);
      const TruthPod* p = t.pod(row.at("NAMESPACE"), row.at("NAME"));
      ASSERT_NE(p, nullptr) << key;
      if (p->node == down) {
        ADD_FAILURE() << "pod " << key << " on the faulty node " << down << " is still served: '" << row.raw << "'";
        continue;
      }
      EXPECT_TRUE(podRowMatches(row, t, ""));
    }
    for (const auto& p : t.pods) {
      if (p.running() && p.node != down) {
        EXPECT_TRUE(pods_seen.count(p.ns + "/" + p.name)) << "healthy pod " << p.ns << "/" << p.name << " missing";
      }
    }
    EXPECT_TRUE(cluster().kmetricsAlive()) << cluster().kmetricsExit();
  }

  // A fault that must make `node` drop out within a few resolutions.
  void expectNodeDropped(const std::string& node, const std::string& mode, int delay_ms = 0) {
    setFault(node, mode, delay_ms);
    ASSERT_TRUE(waitUntil([&] { return !nodeServed(node); }, kBound))
        << "node " << node << " with fault " << mode << " is still served after " << kBound.count() << " s: "
        << servedNodes(cluster())[node].timestamp;
    // A pod on it that exists but has no metrics: metrics-server's podmetrics NotFound.
    const Truth t = cluster().truth();
    const TruthPod* victim = nullptr;
    for (const auto& p : t.pods) {
      if (p.node == node && p.running()) victim = &p;
    }
    ASSERT_NE(victim, nullptr);
    ASSERT_TRUE(waitUntil([&] { return !servedPods(cluster()).count(victim->ns + "/" + victim->name); }, kBound))
        << "pod " << victim->ns << "/" << victim->name << " on the faulty node is still served";
    auto r = runKubectl(kubectl_, cluster().kubeconfig("admin"), {"top", "pod", victim->name, "-n", victim->ns});
    EXPECT_NE(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.err.find("Error from server (NotFound): podmetrics.metrics.k8s.io \"" + victim->ns + "/" +
                         victim->name + "\" not found"),
              std::string::npos)
        << describe(r);
    auto n = runKubectl(kubectl_, cluster().kubeconfig("admin"), {"top", "node", node});
    EXPECT_NE(n.exit_code, 0) << describe(n);
    EXPECT_NE(n.err.find("Error from server (NotFound): nodemetrics.metrics.k8s.io \"" + node + "\" not found"),
              std::string::npos)
        << describe(n);
    expectServedExcept(node);
  }

  // A fault under which `node` must stay served with truth values for several scrapes.
  void expectNodeStillServed(const std::string& node, const std::string& mode, int delay_ms = 0) {
    const Truth t = cluster().truth();
    auto before = servedPods(cluster());
    setFault(node, mode, delay_ms);
    // Scrapes that started after the fault was set: two new timestamps (the first may predate it).
    ASSERT_TRUE(waitForScrapes(cluster(), node, 3, kBound))
        << "node " << node << " with fault " << mode << " not served for 3 more scrapes";
    // Its pods are fresh too, not left over from before the fault.
    auto after = servedPods(cluster());
    for (const auto& p : t.pods) {
      if (p.node != node || !p.running()) continue;
      const auto key = p.ns + "/" + p.name;
      ASSERT_TRUE(after.count(key)) << "pod " << key << " on node " << node << " (" << mode << ") not served";
      EXPECT_NE(after[key].timestamp, before[key].timestamp) << "pod " << key << " not rescraped under " << mode;
    }
    expectServedExcept("");
  }

  KubectlBinary kubectl_;
  std::vector<std::string> added_nodes_;
  std::vector<std::pair<std::string, std::string>> added_pods_;
};

TEST_F(Faults, HangingKubeletIsDropped) {
  expectNodeDropped("node-1", "hang");
  // Every kubectl renders the node without metrics as a `<unknown>` row (1.20 with shifted cells).
  const Truth t = cluster().truth();
  std::vector<std::string> versions = kubectlVersionsUnderTest();
  for (const auto& v : versions) {
    SCOPED_TRACE("kubectl " + v);
    std::string why;
    auto k = resolveKubectl(v, &why);
    ASSERT_FALSE(k.path.empty()) << why;
    auto r = runKubectl(k, cluster().kubeconfig("admin"), {"top", "node"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    auto table = parseTopTable(r.out);
    ASSERT_EQ(table.rows.size(), t.nodes.size()) << r.out;
    for (const auto& row : table.rows) {
      if (row.at("NAME") == "node-1") {
        EXPECT_TRUE(row.unknown) << row.raw;
      } else {
        EXPECT_TRUE(nodeRowMatches(row, t));
      }
    }
  }
}
TEST_F(Faults, Http500IsDropped) { expectNodeDropped("node-2", "http500"); }
TEST_F(Faults, GarbageIsDropped) { expectNodeDropped("node-3", "garbage"); }
TEST_F(Faults, TruncatedIsDropped) { expectNodeDropped("node-4", "truncated"); }
TEST_F(Faults, NanAndInfAreDropped) { expectNodeDropped("node-5", "nan"); }
TEST_F(Faults, SlowBelowTimeoutIsServed) { expectNodeStillServed("node-1", "slow", 1000); }
TEST_F(Faults, SlowAboveTimeoutIsDropped) { expectNodeDropped("node-2", "slow", 6000); }
// A pre-1.18 kubelet (404 on /metrics/resource): served through the Summary API fallback.
TEST_F(Faults, SummaryOnlyIsServedThroughSummaryApi) { expectNodeStillServed("node-3", "summary-only"); }

TEST_F(Faults, ContainerRestartKeepsValuesSane) {
  const std::string ns = "kube-system", pod = "app-0-node-0-4", key = ns + "/" + pod;
  cluster().simPost("/sim/pods/" + ns + "/" + pod + "/containers/main/restart");
  // The CPU counter restarts from 0: never a negative or huge rate, for several scrapes.
  const Truth t = cluster().truth();
  const TruthPod* p = t.pod(ns, pod);
  ASSERT_NE(p, nullptr);
  int polls = 0;
  bool back = false;
  waitUntil(
      [&] {
        ++polls;
        auto pods = servedPods(cluster());
        auto it = pods.find(key);
        if (it == pods.end()) return false;  // omitted while the restarted container has one point
        for (const auto& [cname, usage] : it->second.containers) {
          const auto& [cpu, mem] = usage;
          EXPECT_GE(cpu, 0) << cname;
          EXPECT_LE(cpu * 1000, 2.0L * static_cast<long double>(p->cpu_m) + 10) << cname << " after restart";
          EXPECT_GE(mem, 0) << cname;
        }
        back = cpuClose(static_cast<int64_t>(std::llround(it->second.cpu_cores * 1000)), p->cpu_m);
        return back && polls > 20;  // keep watching ~10 s after it came back
      },
      kBound, std::chrono::milliseconds(500));
  EXPECT_TRUE(back) << "restarted pod " << key << " not served with truth values";
  expectServedExcept("");
  // The node's counter never went down: its value stays the truth.
  auto nodes = top({"top", "node", "node-0"});
  ASSERT_EQ(nodes.rows.size(), 1u);
  EXPECT_TRUE(nodeRowMatches(nodes.rows[0], cluster().truth()));
}

TEST_F(Faults, NodeAddedThenRemoved) {
  // Its kubelet listens on a port of its own: kmetrics must take it from the node's status
  // (--kubelet-use-node-status-port), not from its default.
  cluster().simPost("/sim/nodes?name=e2e-node&pods=3&labels=e2e=added&port=" + std::to_string(freePort()));
  added_nodes_.push_back("e2e-node");
  ASSERT_TRUE(waitUntil([&] { return nodeServed("e2e-node"); }, kBound)) << "added node never served";
  auto sel = top({"top", "node", "-l", "e2e=added"});
  ASSERT_EQ(rowNames(sel), std::vector<std::string>{"e2e-node"});
  EXPECT_TRUE(nodeRowMatches(sel.rows[0], cluster().truth()));
  // Its pods (in default) too.
  ASSERT_TRUE(waitUntil([&] { return everythingServed(cluster().truth()); }, kBound));
  expectServedExcept("");

  cluster().simDelete("/sim/nodes/e2e-node");
  ASSERT_TRUE(waitUntil([&] { return !nodeServed("e2e-node"); }, kBound)) << "removed node still served";
  ASSERT_TRUE(waitUntil(
      [&] {
        for (const auto& [k, _] : servedPods(cluster())) {
          if (k.find("e2e-node") != std::string::npos) return false;
        }
        return true;
      },
      kBound))
      << "pods of the removed node still served";
  auto nodes = top({"top", "node"});
  EXPECT_FALSE(nameSet(nodes).count("e2e-node"));
  expectServedExcept("");
}

TEST_F(Faults, PodAddedFinishedThenRemoved) {
  cluster().simPost("/sim/pods?namespace=team-a&name=e2e-pod&node=node-0&containers=web,proxy&labels=app=e2e");
  added_pods_.emplace_back("team-a", "e2e-pod");
  ASSERT_TRUE(waitUntil([&] { return servedPods(cluster()).count("team-a/e2e-pod") > 0; }, kBound))
      << "added pod never served";
  auto t = top({"top", "pod", "-n", "team-a", "-l", "app=e2e"});
  ASSERT_EQ(rowNames(t), std::vector<std::string>{"e2e-pod"});
  EXPECT_TRUE(podRowMatches(t.rows[0], cluster().truth(), "team-a"));
  auto c = top({"top", "pod", "e2e-pod", "-n", "team-a", "--containers"});
  EXPECT_EQ(rowNames(c), (std::vector<std::string>{"proxy", "web"}));
  for (const auto& row : c.rows) EXPECT_TRUE(containerRowMatches(row, cluster().truth(), "team-a"));
  expectServedExcept("");

  // A finished pod leaves metrics-server's Running-only pod informer: the lister's NotFound.
  cluster().simPost("/sim/pods/team-a/e2e-pod/phase?phase=Succeeded");
  ASSERT_TRUE(waitUntil([&] { return servedPods(cluster()).count("team-a/e2e-pod") == 0; }, kBound))
      << "Succeeded pod still served";
  auto done = runKubectl(kubectl_, cluster().kubeconfig("admin"), {"top", "pod", "e2e-pod", "-n", "team-a"});
  EXPECT_NE(done.exit_code, 0) << describe(done);
  EXPECT_NE(done.err.find("Error from server (NotFound): pods \"e2e-pod\" not found"), std::string::npos)
      << describe(done);

  cluster().simDelete("/sim/pods/team-a/e2e-pod");
  ASSERT_TRUE(waitUntil([&] { return servedPods(cluster()).count("team-a/e2e-pod") == 0; }, kBound))
      << "removed pod still served";
  auto gone = runKubectl(kubectl_, cluster().kubeconfig("admin"), {"top", "pod", "e2e-pod", "-n", "team-a"});
  EXPECT_NE(gone.exit_code, 0) << describe(gone);
  // node-0's usage drops with the pod only from the next scrape on (served values are up to one
  // resolution old).
  ASSERT_TRUE(waitForScrapes(cluster(), "node-0", 2, kBound));
  expectServedExcept("");
}

[[maybe_unused]] const bool kEnv =
    (installClusterEnvironment({.nodes = 6,
                                .pods_per_node = 5,
                                .metric_resolution = "10s",
                                .extra_kmetrics_args = {"--kubelet-request-timeout=3s"}}),
     true);

}  // namespace
}  // namespace kmetrics::e2e
