// Every installed kubectl (1.27…1.33 from the gcloud SDK, 1.20 from Debian) against kmetrics through
// the simulated aggregator: `top`, `get *.metrics.k8s.io`, `get --raw`, errors and RBAC, with every
// printed number compared with the sim's ground truth.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "kubectl_runner.hpp"
#include "sim_fixture.hpp"
#include "top_checks.hpp"

namespace kmetrics::e2e {
namespace {

class KubectlTop : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    kubectl_ = resolveKubectl(GetParam(), &why);
    ASSERT_FALSE(kubectl_.path.empty()) << why;
    truth_ = cluster().truth();
  }

  CommandResult run(const std::vector<std::string>& args, const std::string& user = "admin") {
    return runKubectl(kubectl_, cluster().kubeconfig(user), args);
  }

  // Runs a top command that must succeed and returns its parsed table.
  TopTable top(const std::vector<std::string>& args, const std::string& user = "admin") {
    auto r = run(args, user);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    TopTable t;
    try {
      t = parseTopTable(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << describe(r);
    }
    return t;
  }

  void expectNodeHeader(const TopTable& t) {
    const bool new_names = kubectl_.minor() >= 32;
    const std::vector<std::string> want = new_names
        ? std::vector<std::string>{"NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"}
        : std::vector<std::string>{"NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"};
    EXPECT_EQ(t.raw_header, want);
  }

  std::vector<std::string> truthNodeNames(const std::function<bool(const TruthNode&)>& keep) const {
    std::vector<std::string> out;
    for (const auto& n : truth_.nodes) {
      if (keep(n)) out.push_back(n.name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // "ns/name" of Running truth pods, sorted as kubectl sorts (namespace, then name).
  std::vector<std::string> truthPods(const std::function<bool(const TruthPod&)>& keep, bool with_ns) const {
    std::vector<std::pair<std::string, std::string>> v;
    for (const auto& p : truth_.pods) {
      if (p.running() && keep(p)) v.emplace_back(p.ns, p.name);
    }
    std::sort(v.begin(), v.end());
    std::vector<std::string> out;
    for (const auto& [ns, n] : v) out.push_back(with_ns ? ns + "/" + n : n);
    return out;
  }

  KubectlBinary kubectl_;
  Truth truth_;
};

TEST_P(KubectlTop, TopNodeListsEveryNodeWithTruthValues) {
  auto t = top({"top", "node"});
  expectNodeHeader(t);
  EXPECT_EQ(rowNames(t), truthNodeNames([](const TruthNode&) { return true; }));
  for (const auto& row : t.rows) EXPECT_TRUE(nodeRowMatches(row, truth_));
}

TEST_P(KubectlTop, TopNodeByName) {
  auto t = top({"top", "node", "node-3"});
  expectNodeHeader(t);
  ASSERT_EQ(rowNames(t), std::vector<std::string>{"node-3"});
  EXPECT_TRUE(nodeRowMatches(t.rows[0], truth_));
}

TEST_P(KubectlTop, TopNodeBySelector) {
  auto t = top({"top", "node", "-l", "topology.kubernetes.io/zone=zone-1"});
  const auto want = truthNodeNames([](const TruthNode& n) {
    auto it = n.labels.find("topology.kubernetes.io/zone");
    return it != n.labels.end() && it->second == "zone-1";
  });
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(rowNames(t), want);
  for (const auto& row : t.rows) EXPECT_TRUE(nodeRowMatches(row, truth_));
}

TEST_P(KubectlTop, TopPodAllNamespaces) {
  auto t = top({"top", "pod", "-A"});
  EXPECT_EQ(t.raw_header, (std::vector<std::string>{"NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"}));
  EXPECT_EQ(rowNames(t, true), truthPods([](const TruthPod&) { return true; }, true));
  for (const auto& row : t.rows) EXPECT_TRUE(podRowMatches(row, truth_, ""));
}

TEST_P(KubectlTop, TopPodInNamespace) {
  auto t = top({"top", "pod", "-n", "team-a"});
  EXPECT_EQ(t.raw_header, (std::vector<std::string>{"NAME", "CPU(cores)", "MEMORY(bytes)"}));
  const auto want = truthPods([](const TruthPod& p) { return p.ns == "team-a"; }, false);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(rowNames(t), want);
  for (const auto& row : t.rows) EXPECT_TRUE(podRowMatches(row, truth_, "team-a"));
}

TEST_P(KubectlTop, TopPodByLabelSelector) {
  auto t = top({"top", "pod", "-n", "default", "-l", "app=app-3"});
  const auto want = truthPods(
      [](const TruthPod& p) { return p.ns == "default" && p.labels.count("app") && p.labels.at("app") == "app-3"; },
      false);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(rowNames(t), want);
  for (const auto& row : t.rows) EXPECT_TRUE(podRowMatches(row, truth_, "default"));

  auto all = top({"top", "pod", "-A", "-l", "tier=backend"});
  EXPECT_EQ(rowNames(all, true),
            truthPods([](const TruthPod& p) { return p.labels.count("tier") && p.labels.at("tier") == "backend"; }, true));
  for (const auto& row : all.rows) EXPECT_TRUE(podRowMatches(row, truth_, ""));
}

TEST_P(KubectlTop, TopPodByNameTwoContainers) {
  // Pod index 4 on each node is in kube-system and has a sidecar: the row is the sum of both.
  const TruthPod* p = truth_.pod("kube-system", "app-0-node-2-4");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->containers.size(), 2u);
  auto t = top({"top", "pod", p->name, "-n", p->ns});
  ASSERT_EQ(rowNames(t), std::vector<std::string>{p->name});
  EXPECT_TRUE(podRowMatches(t.rows[0], truth_, p->ns));
}

TEST_P(KubectlTop, TopPodContainers) {
  auto t = top({"top", "pod", "-A", "--containers"});
  EXPECT_EQ(t.raw_header,
            (std::vector<std::string>{"NAMESPACE", "POD", "NAME", "CPU(cores)", "MEMORY(bytes)"}));
  std::set<std::string> want, got;
  for (const auto& p : truth_.pods) {
    if (!p.running()) continue;
    for (const auto& c : p.containers) want.insert(p.ns + "/" + p.name + "/" + c.name);
  }
  for (const auto& row : t.rows) {
    got.insert(row.at("NAMESPACE") + "/" + row.at("POD") + "/" + row.at("NAME"));
    EXPECT_TRUE(containerRowMatches(row, truth_, ""));
  }
  EXPECT_EQ(got, want);

  auto one = top({"top", "pod", "app-0-node-1-4", "-n", "kube-system", "--containers"});
  EXPECT_EQ(rowNames(one), (std::vector<std::string>{"main", "sidecar-1"}));
  for (const auto& row : one.rows) EXPECT_TRUE(containerRowMatches(row, truth_, "kube-system"));
}

// --sort-by orders by descending value; ties are possible, so only the order is checked.
void expectDescending(const TopTable& t, const std::string& column, bool cpu) {
  int64_t prev = INT64_MAX;
  for (const auto& row : t.rows) {
    auto v = cpu ? parseCpuMilli(row.at(column)) : parseMemMi(row.at(column));
    ASSERT_TRUE(v.has_value()) << row.raw;
    EXPECT_LE(*v, prev) << "not sorted by " << column << " at '" << row.raw << "'";
    prev = *v;
  }
}

TEST_P(KubectlTop, SortByCpu) {
  auto pods = top({"top", "pod", "-A", "--sort-by=cpu"});
  auto want = truthPods([](const TruthPod&) { return true; }, true);
  auto got = rowNames(pods, true);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), std::set<std::string>(want.begin(), want.end()));
  expectDescending(pods, "CPU(cores)", true);
  for (const auto& row : pods.rows) EXPECT_TRUE(podRowMatches(row, truth_, ""));

  auto nodes = top({"top", "node", "--sort-by=cpu"});
  EXPECT_EQ(nodes.rows.size(), truth_.nodes.size());
  expectDescending(nodes, "CPU(cores)", true);
  for (const auto& row : nodes.rows) EXPECT_TRUE(nodeRowMatches(row, truth_));
}

TEST_P(KubectlTop, SortByMemory) {
  auto pods = top({"top", "pod", "-A", "--sort-by=memory"});
  EXPECT_EQ(pods.rows.size(), truthPods([](const TruthPod&) { return true; }, true).size());
  expectDescending(pods, "MEMORY(bytes)", false);
  for (const auto& row : pods.rows) EXPECT_TRUE(podRowMatches(row, truth_, ""));

  auto nodes = top({"top", "node", "--sort-by=memory"});
  EXPECT_EQ(nodes.rows.size(), truth_.nodes.size());
  expectDescending(nodes, "MEMORY(bytes)", false);
  for (const auto& row : nodes.rows) EXPECT_TRUE(nodeRowMatches(row, truth_));
}

// Quantity → millicores / bytes, compared with the same tolerances as the top columns.
::testing::AssertionResult usageMatches(const Poco::JSON::Object::Ptr& usage, int64_t cpu_m, int64_t mem_bytes,
                                        const std::string& what) {
  if (!usage || !usage->has("cpu") || !usage->has("memory"))
    return ::testing::AssertionFailure() << what << ": usage lacks cpu or memory";
  auto cpu = parseQuantity(usage->getValue<std::string>("cpu"));
  auto mem = parseQuantity(usage->getValue<std::string>("memory"));
  if (!cpu || !mem) return ::testing::AssertionFailure() << what << ": unparsable quantities";
  const auto cpu_m_got = static_cast<int64_t>(*cpu * 1000.0L + 0.5L);
  if (!cpuClose(cpu_m_got, cpu_m))
    return ::testing::AssertionFailure() << what << ": cpu " << usage->getValue<std::string>("cpu") << " vs truth " << cpu_m << "m";
  if (*mem < 0 || !memClose(static_cast<int64_t>(*mem) / kMi, mem_bytes))
    return ::testing::AssertionFailure() << what << ": memory " << usage->getValue<std::string>("memory") << " vs truth " << mem_bytes;
  return ::testing::AssertionSuccess();
}

Poco::JSON::Object::Ptr parseObject(const std::string& s) {
  return Poco::JSON::Parser().parse(s).extract<Poco::JSON::Object::Ptr>();
}

void expectNodeMetricsList(const Poco::JSON::Object::Ptr& list, const Truth& truth) {
  auto items = list->getArray("items");
  ASSERT_TRUE(items);
  std::set<std::string> got;
  for (size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    const auto name = item->getObject("metadata")->getValue<std::string>("name");
    got.insert(name);
    const TruthNode* n = truth.node(name);
    ASSERT_NE(n, nullptr) << name;
    EXPECT_TRUE(usageMatches(item->getObject("usage"), n->cpu_m, n->memory_bytes, "node " + name));
  }
  std::set<std::string> want;
  for (const auto& n : truth.nodes) want.insert(n.name);
  EXPECT_EQ(got, want);
}

void expectPodMetricsList(const Poco::JSON::Object::Ptr& list, const Truth& truth,
                          const std::function<bool(const TruthPod&)>& selected) {
  auto items = list->getArray("items");
  ASSERT_TRUE(items);
  std::set<std::string> got, want;
  for (size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    auto md = item->getObject("metadata");
    const auto ns = md->getValue<std::string>("namespace");
    const auto name = md->getValue<std::string>("name");
    got.insert(ns + "/" + name);
    const TruthPod* p = truth.pod(ns, name);
    ASSERT_NE(p, nullptr) << ns << "/" << name;
    auto containers = item->getArray("containers");
    ASSERT_TRUE(containers);
    EXPECT_EQ(containers->size(), p->containers.size()) << ns << "/" << name;
    for (size_t j = 0; j < containers->size(); ++j) {
      auto c = containers->getObject(static_cast<unsigned>(j));
      const auto cname = c->getValue<std::string>("name");
      auto tc = std::find_if(p->containers.begin(), p->containers.end(),
                             [&](const TruthContainer& x) { return x.name == cname; });
      ASSERT_NE(tc, p->containers.end()) << cname;
      EXPECT_TRUE(usageMatches(c->getObject("usage"), tc->cpu_m, tc->memory_bytes, ns + "/" + name + "/" + cname));
    }
  }
  for (const auto& p : truth.pods) {
    if (p.running() && selected(p)) want.insert(p.ns + "/" + p.name);
  }
  EXPECT_EQ(got, want);
}

TEST_P(KubectlTop, GetNodeMetrics) {
  auto table = run({"get", "nodes.metrics.k8s.io"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  std::vector<std::string> names;
  std::istringstream in(table.out);
  std::string line;
  std::getline(in, line);  // header
  EXPECT_EQ(splitWhitespace(line).at(0), "NAME") << table.out;
  while (std::getline(in, line)) {
    auto cells = splitWhitespace(line);
    if (!cells.empty()) names.push_back(cells[0]);
  }
  EXPECT_EQ(names, truthNodeNames([](const TruthNode&) { return true; }));

  auto json = run({"get", "nodes.metrics.k8s.io", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << describe(json);
  expectNodeMetricsList(parseObject(json.out), truth_);
}

TEST_P(KubectlTop, GetPodMetricsAllNamespaces) {
  auto json = run({"get", "pods.metrics.k8s.io", "-A", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << describe(json);
  expectPodMetricsList(parseObject(json.out), truth_, [](const TruthPod&) { return true; });

  auto table = run({"get", "pods.metrics.k8s.io", "-A"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  size_t lines = 0;
  std::istringstream in(table.out);
  for (std::string l; std::getline(in, l);) lines += splitWhitespace(l).empty() ? 0 : 1;
  EXPECT_EQ(lines, 1 + truthPods([](const TruthPod&) { return true; }, true).size()) << table.out;
}

TEST_P(KubectlTop, GetRaw) {
  auto nodes = run({"get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"});
  ASSERT_EQ(nodes.exit_code, 0) << describe(nodes);
  auto nl = parseObject(nodes.out);
  EXPECT_EQ(nl->optValue<std::string>("kind", ""), "NodeMetricsList");
  EXPECT_EQ(nl->optValue<std::string>("apiVersion", ""), "metrics.k8s.io/v1beta1");
  expectNodeMetricsList(nl, truth_);

  auto node = run({"get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/node-0"});
  ASSERT_EQ(node.exit_code, 0) << describe(node);
  auto no = parseObject(node.out);
  EXPECT_EQ(no->optValue<std::string>("kind", ""), "NodeMetrics");
  EXPECT_EQ(no->getObject("metadata")->getValue<std::string>("name"), "node-0");
  EXPECT_TRUE(usageMatches(no->getObject("usage"), truth_.node("node-0")->cpu_m,
                           truth_.node("node-0")->memory_bytes, "node-0"));

  auto pods = run({"get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods"});
  ASSERT_EQ(pods.exit_code, 0) << describe(pods);
  auto pl = parseObject(pods.out);
  EXPECT_EQ(pl->optValue<std::string>("kind", ""), "PodMetricsList");
  expectPodMetricsList(pl, truth_, [](const TruthPod& p) { return p.ns == "team-a"; });

  auto all = run({"get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods"});
  ASSERT_EQ(all.exit_code, 0) << describe(all);
  expectPodMetricsList(parseObject(all.out), truth_, [](const TruthPod&) { return true; });
}

TEST_P(KubectlTop, UnknownPodIsNotFound) {
  // metrics-server returns the pod lister's own NotFound for a pod it does not know
  // (metrics-server.md §2.7); `podmetrics.metrics.k8s.io "NS/NAME" not found` is for a known pod
  // without metrics (see the fault tests).
  auto r = run({"top", "pod", "e2e-no-such-pod", "-n", "team-a"});
  EXPECT_NE(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.err.find("Error from server (NotFound): pods \"e2e-no-such-pod\" not found"), std::string::npos)
      << describe(r);

  auto n = run({"top", "node", "e2e-no-such-node"});
  EXPECT_NE(n.exit_code, 0) << describe(n);
  EXPECT_NE(n.err.find("Error from server (NotFound)"), std::string::npos) << describe(n);
  EXPECT_NE(n.err.find("\"e2e-no-such-node\" not found"), std::string::npos) << describe(n);
}

TEST_P(KubectlTop, ViewerCanTop) {
  auto nodes = top({"top", "node"}, "viewer");
  EXPECT_EQ(nodes.rows.size(), truth_.nodes.size());
  for (const auto& row : nodes.rows) EXPECT_TRUE(nodeRowMatches(row, truth_));
  auto pods = top({"top", "pod", "-n", "kube-system"}, "viewer");
  EXPECT_EQ(rowNames(pods), truthPods([](const TruthPod& p) { return p.ns == "kube-system"; }, false));
}

TEST_P(KubectlTop, NobodyIsForbidden) {
  auto pods = run({"top", "pod", "-n", "default"}, "nobody");
  EXPECT_NE(pods.exit_code, 0) << describe(pods);
  EXPECT_NE(pods.err.find("Error from server (Forbidden): pods.metrics.k8s.io is forbidden: User \"nobody\" "
                          "cannot list resource \"pods\" in API group \"metrics.k8s.io\" in the namespace \"default\""),
            std::string::npos)
      << describe(pods);
  auto nodes = run({"top", "node"}, "nobody");
  EXPECT_NE(nodes.exit_code, 0) << describe(nodes);
  EXPECT_NE(nodes.err.find("Error from server (Forbidden): nodes.metrics.k8s.io is forbidden: User \"nobody\" "
                           "cannot list resource \"nodes\" in API group \"metrics.k8s.io\" at the cluster scope"),
            std::string::npos)
      << describe(nodes);
}

std::string versionName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = "v" + info.param;
  std::replace(s.begin(), s.end(), '.', '_');
  return s;
}

INSTANTIATE_TEST_SUITE_P(Versions, KubectlTop, ::testing::ValuesIn(kubectlVersionsUnderTest()), versionName);

// The suite is meaningless without the SDK kubectls: fail, never skip.
TEST(KubectlDiscovery, SdkKubectlsInstalled) {
  EXPECT_FALSE(installedSdkKubectls().empty())
      << "no kubectl.1.27 … kubectl.1.33 in /usr/lib/google-cloud-sdk/bin (install the gcloud SDK kubectl components)";
}

[[maybe_unused]] const bool kEnv = (installClusterEnvironment({}), true);

}  // namespace
}  // namespace kmetrics::e2e
