// Flags that kubectl 1.20 does not have (wire-formats.md §4.2): --field-selector (1.22+), --sum
// (1.25+), --show-capacity (1.23+), run with every SDK kubectl; plus an empty namespace and a
// watch (metrics.k8s.io has no watch verb).
#include <gtest/gtest.h>

#include <sstream>

#include "kubectl_runner.hpp"
#include "sim_fixture.hpp"
#include "top_checks.hpp"

namespace kmetrics::e2e {
namespace {

class KubectlNewerFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    kubectls_ = installedSdkKubectls();
    ASSERT_FALSE(kubectls_.empty()) << "no kubectl.1.27 … kubectl.1.33 in /usr/lib/google-cloud-sdk/bin";
    truth_ = cluster().truth();
  }
  CommandResult run(const KubectlBinary& k, const std::vector<std::string>& args) {
    return runKubectl(k, cluster().kubeconfig("admin"), args);
  }
  std::vector<KubectlBinary> kubectls_;
  Truth truth_;
};

TEST_F(KubectlNewerFlags, FieldSelectorByPodName) {
  const TruthPod* p = truth_.pod("team-a", "app-2-node-1-2");
  ASSERT_NE(p, nullptr);
  for (const auto& k : kubectls_) {
    SCOPED_TRACE("kubectl " + k.version);
    auto r = run(k, {"top", "pod", "-n", "team-a", "--field-selector", "metadata.name=" + p->name});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    auto t = parseTopTable(r.out);
    ASSERT_EQ(rowNames(t), std::vector<std::string>{p->name});
    EXPECT_TRUE(podRowMatches(t.rows[0], truth_, "team-a"));
  }
}

TEST_F(KubectlNewerFlags, UnsupportedFieldSelectorIsBadRequest) {
  auto r = run(kubectls_.back(), {"top", "pod", "-n", "team-a", "--field-selector", "spec.nodeName=node-1"});
  EXPECT_NE(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.err.find("Error from server (BadRequest): \"spec.nodeName\" is not a known field selector: only "
                       "\"metadata.name\", \"metadata.namespace\""),
            std::string::npos)
      << describe(r);
}

TEST_F(KubectlNewerFlags, SumRowIsTheTotalOfTheTruth) {
  int64_t cpu_m = 0, mem = 0;
  size_t pods = 0;
  for (const auto& p : truth_.pods) {
    if (p.running() && p.ns == "team-a") {
      cpu_m += p.cpu_m;
      mem += p.memory_bytes;
      ++pods;
    }
  }
  for (const auto& k : kubectls_) {
    SCOPED_TRACE("kubectl " + k.version);
    auto r = run(k, {"top", "pod", "-n", "team-a", "--sum"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    // The table, a row of ________ cells, then the totals row (two cells).
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) {
      if (!splitWhitespace(l).empty()) lines.push_back(l);
    }
    ASSERT_EQ(lines.size(), pods + 3) << r.out;
    EXPECT_EQ(splitWhitespace(lines[lines.size() - 2]), (std::vector<std::string>{"________", "________"})) << r.out;
    auto total = splitWhitespace(lines.back());
    ASSERT_EQ(total.size(), 2u) << r.out;
    auto cpu = parseCpuMilli(total[0]);
    auto mi = parseMemMi(total[1]);
    ASSERT_TRUE(cpu && mi) << r.out;
    EXPECT_TRUE(cpuClose(*cpu, cpu_m)) << *cpu << "m vs " << cpu_m << "m";
    EXPECT_TRUE(memClose(*mi, mem)) << *mi << "Mi vs " << mem / kMi << "Mi";
  }
}

TEST_F(KubectlNewerFlags, ShowCapacityPercentages) {
  for (const auto& k : kubectls_) {
    SCOPED_TRACE("kubectl " + k.version);
    auto r = run(k, {"top", "node", "--show-capacity"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    auto t = parseTopTable(r.out);
    EXPECT_EQ(t.rows.size(), truth_.nodes.size());
    for (const auto& row : t.rows) EXPECT_TRUE(nodeRowMatches(row, truth_, /*capacity=*/true));
  }
}

TEST_F(KubectlNewerFlags, EmptyNamespaceHasNoResources) {
  for (const auto& k : kubectls_) {
    SCOPED_TRACE("kubectl " + k.version);
    auto r = run(k, {"top", "pod", "-n", "e2e-empty"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.err.find("No resources found in e2e-empty namespace."), std::string::npos) << describe(r);
  }
}

TEST_F(KubectlNewerFlags, WatchIsNotAllowed) {
  auto r = run(kubectls_.back(), {"get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?watch=true"});
  EXPECT_NE(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.err.find("MethodNotAllowed"), std::string::npos) << describe(r);
}

}  // namespace
}  // namespace kmetrics::e2e
