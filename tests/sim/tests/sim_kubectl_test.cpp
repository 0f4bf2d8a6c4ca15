// The real kubectl binaries against the simulated apiserver (kmetrics-sim's setup, in process).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/simulation.hpp"
#include "test_support.hpp"

using namespace kmetrics::sim;
using namespace kmetrics::sim::testing;

namespace {

const std::string kBin = "/usr/lib/google-cloud-sdk/bin/";

class KubectlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = ::testing::TempDir() + "/kmetrics-sim-kubectl-" + std::to_string(getpid());
    SimOptions o;
    o.dir = dir_;
    o.nodes = 3;
    o.pods_per_node = 4;
    o.kubelets = false;  // kubectl get never talks to kubelets
    o.probe_interval_ms = 300;
    sim_ = new Simulation(o);
    sim_->start();
  }
  static void TearDownTestSuite() {
    delete sim_;
    std::filesystem::remove_all(dir_);
  }
  static std::pair<int, std::string> kubectl(const std::string& version, const std::string& user,
                                             const std::string& args) {
    return run(kBin + "kubectl." + version + " --kubeconfig " + dir_ + "/" + user + ".kubeconfig " + args, 60);
  }
  static std::string dir_;
  static Simulation* sim_;
};

std::string KubectlTest::dir_;
Simulation* KubectlTest::sim_ = nullptr;

TEST_F(KubectlTest, SimJsonDescribesEverything) {
  std::ifstream in(sim_->simJsonPath());
  auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["apiserver"]["port"], sim_->apiserver().port());
  for (const char* k : {"admin", "viewer", "nobody", "kmetrics"})
    EXPECT_TRUE(std::filesystem::exists(j["kubeconfigs"][k].get<std::string>())) << k;
  for (const char* k : {"cluster", "front_proxy", "kubelet"})
    EXPECT_TRUE(std::filesystem::exists(j["ca"][k].get<std::string>())) << k;
  EXPECT_EQ(std::filesystem::status(dir_ + "/ca.key").permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

TEST_F(KubectlTest, GetNodesAndPodsWithEveryVersion) {
  for (const std::string v : {"1.27", "1.30", "1.33"}) {
    if (!std::filesystem::exists(kBin + "kubectl." + v)) continue;
    auto [rc, out] = kubectl(v, "admin", "get nodes");
    ASSERT_EQ(rc, 0) << v << ": " << out;
    EXPECT_NE(out.find("NAME"), std::string::npos);
    for (const char* n : {"node-0", "node-1", "node-2"}) EXPECT_NE(out.find(n), std::string::npos) << v << out;
    EXPECT_NE(out.find("Ready"), std::string::npos);
    EXPECT_EQ(out.find("couldn't get"), std::string::npos) << out;  // no discovery errors

    auto [rc2, pods] = kubectl(v, "admin", "get pods -A");
    ASSERT_EQ(rc2, 0) << pods;
    EXPECT_NE(pods.find("NAMESPACE"), std::string::npos);
    EXPECT_NE(pods.find("team-a"), std::string::npos);
    EXPECT_NE(pods.find("Running"), std::string::npos);
  }
}

TEST_F(KubectlTest, ViewerNobodyAndServiceAccount) {
  auto [rc, out] = kubectl("1.33", "viewer", "get pods -n kube-system -o name");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("pod/"), std::string::npos);
  auto [rc2, denied] = kubectl("1.33", "nobody", "get nodes");
  EXPECT_NE(rc2, 0);
  EXPECT_NE(denied.find("Error from server (Forbidden): nodes is forbidden: User \"nobody\" cannot list resource "
                        "\"nodes\" in API group \"\" at the cluster scope"),
            std::string::npos)
      << denied;
  auto [rc3, sa] = kubectl("1.33", "kmetrics", "get nodes -o jsonpath={.items[*].status.addresses[0].address}");
  ASSERT_EQ(rc3, 0) << sa;
  EXPECT_NE(sa.find("127.1.0.1"), std::string::npos) << sa;
  auto [rc4, cm] = kubectl("1.33", "kmetrics",
                           "get configmap -n kube-system extension-apiserver-authentication "
                           "-o jsonpath={.data.requestheader-allowed-names}");
  ASSERT_EQ(rc4, 0) << cm;
  EXPECT_EQ(cm, "[\"aggregator\"]");
}

TEST_F(KubectlTest, TopWithoutMetricsApiSaysNotAvailable) {
  auto [rc, out] = kubectl("1.33", "admin", "top node");
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("Metrics API not available"), std::string::npos) << out;
}

}  // namespace
