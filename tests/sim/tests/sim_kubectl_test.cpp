// The real kubectl binaries against the simulated apiserver (kmetrics-sim's setup, in process).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "apiserver/aggregator.hpp"

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

// kubectl 1.20 is not in the gcloud SDK: CI extracts Debian's kubernetes-client into the build tree
// (wire-formats.md, machine notes), or points KUBECTL_1_20 at a binary.
std::string kubectl120() {
  if (const char* env = std::getenv("KUBECTL_1_20"); env != nullptr && std::filesystem::exists(env)) return env;
  if (std::filesystem::exists(KMETRICS_SIM_KUBECTL_120)) return KMETRICS_SIM_KUBECTL_120;
  return "";
}

TEST_F(KubectlTest, GetNodesAndPodsWithKubectl120) {
  const std::string bin = kubectl120();
  if (bin.empty()) {
    GTEST_SKIP() << "kubectl 1.20 not found: apt-get download kubernetes-client && dpkg-deb -x <deb> "
                 << "<build>/tools/kubectl-1.20 (or set KUBECTL_1_20)";
  }
  auto [rc, out] = run(bin + " --kubeconfig " + dir_ + "/admin.kubeconfig get nodes", 60);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("node-2"), std::string::npos) << out;
  auto [rc2, pods] = run(bin + " --kubeconfig " + dir_ + "/admin.kubeconfig get pods -A", 60);
  ASSERT_EQ(rc2, 0) << pods;
  EXPECT_NE(pods.find("team-a"), std::string::npos) << pods;
  auto [rc3, denied] = run(bin + " --kubeconfig " + dir_ + "/nobody.kubeconfig get nodes", 60);
  EXPECT_NE(rc3, 0);
  EXPECT_NE(denied.find("Forbidden"), std::string::npos) << denied;
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

TEST_F(KubectlTest, TopThroughTheAggregator) {
  auto [rc, out] = kubectl("1.33", "admin", "top node");
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("Metrics API not available"), std::string::npos) << out;

  // A stand-in metrics server behind the aggregator (front-proxy mTLS), answering canned metrics.
  CertSpec serving;
  serving.common_name = "kmetrics";
  serving.ip_sans = {"127.0.0.1"};
  EchoBackend backend(sim_->clusterCa().issue(serving), sim_->frontProxyCa().certPem());
  backend.responder = [](const SeenRequest& r) -> std::optional<std::pair<int, std::string>> {
    if (r.uri.rfind("/apis/metrics.k8s.io/v1beta1/nodes", 0) != 0) return std::nullopt;
    if (r.all("X-Remote-User") != std::vector<std::string>{"admin"} || r.peer_cn != "aggregator")
      return std::make_pair(401, std::string("{}"));
    nlohmann::json items = nlohmann::json::array();
    for (int i = 0; i < 3; ++i) {
      items.push_back({{"metadata", {{"name", "node-" + std::to_string(i)}}},
                       {"timestamp", "2026-01-01T00:00:00Z"}, {"window", "15s"},
                       {"usage", {{"cpu", std::to_string(250 * (i + 1)) + "m"}, {"memory", "1000Mi"}}}});
    }
    return std::make_pair(200, nlohmann::json{{"kind", "NodeMetricsList"}, {"apiVersion", "metrics.k8s.io/v1beta1"},
                                              {"metadata", nlohmann::json::object()}, {"items", items}}
                                   .dump());
  };
  sim_->apiserver().aggregator().registerService(
      ApiServiceSpec{"v1beta1.metrics.k8s.io", "metrics.k8s.io", "v1beta1", backend.url(), ""});
  for (int i = 0; i < 100; ++i) {
    auto s = sim_->apiserver().aggregator().serviceFor("metrics.k8s.io", "v1beta1");
    if (s && s->status.available) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const std::string v : {"1.27", "1.33"}) {
    auto [rc2, top] = kubectl(v, "admin", "top node");
    ASSERT_EQ(rc2, 0) << v << ": " << top;
    EXPECT_NE(top.find("node-2"), std::string::npos) << top;
    EXPECT_NE(top.find("750m"), std::string::npos) << top;
    EXPECT_NE(top.find("1000Mi"), std::string::npos) << top;
    // 750m of 3920m allocatable
    EXPECT_NE(top.find("19%"), std::string::npos) << top;
  }
  // nobody is stopped by the apiserver before the backend
  auto [rc3, denied] = kubectl("1.33", "nobody", "top node");
  EXPECT_NE(rc3, 0);
  EXPECT_NE(denied.find("Forbidden"), std::string::npos) << denied;
  // backend failing its probe: 503 as kube-aggregator renders it
  backend.force_status = 500;
  for (int i = 0; i < 100; ++i) {
    auto s = sim_->apiserver().aggregator().serviceFor("metrics.k8s.io", "v1beta1");
    if (s && !s->status.available) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto [rc4, unavailable] = kubectl("1.33", "admin", "top node");
  EXPECT_NE(rc4, 0);
  EXPECT_NE(unavailable.find("the server is currently unable to handle the request"), std::string::npos)
      << unavailable;
  sim_->apiserver().aggregator().unregisterService("v1beta1.metrics.k8s.io");
}

}  // namespace
