// kmetrics-sim's wiring: the kubelets start with the sim's kubelet CA and accept the kmetrics token.
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <istream>

#include "apiserver/tls.hpp"
#include "app/simulation.hpp"

using namespace kmetrics::sim;

namespace {

std::pair<int, std::string> kubeletGet(const std::string& ip, uint16_t port, const std::string& ca_pem,
                                       const std::string& path, const std::string& token) {
  Poco::Net::HTTPSClientSession s(ip, port, makeClientContext(ca_pem));
  s.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.set("Authorization", "Bearer " + token);
  s.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::istream& in = s.receiveResponse(resp);
  std::string body((std::istreambuf_iterator<char>(in)), {});
  return {resp.getStatus(), body};
}

TEST(SimulationApp, KubeletsServeWithTheSimsCaAndToken) {
  SimOptions o;
  o.dir = ::testing::TempDir() + "/kmetrics-sim-app-" + std::to_string(getpid());
  o.nodes = 2;
  o.pods_per_node = 2;
  o.kubelet_port = static_cast<uint16_t>(20000 + getpid() % 20000);  // not 10250: a dev sim may run
  Simulation sim(o);
  sim.start();
  std::ifstream in(sim.simJsonPath());
  auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["kubelets"].size(), 2u);
  const std::string ip = j["kubelets"][0]["address"];
  const uint16_t port = j["kubelets"][0]["port"];
  EXPECT_EQ(port, o.kubelet_port);
  std::ifstream ca_in(j["ca"]["kubelet"].get<std::string>());
  const std::string kubelet_ca((std::istreambuf_iterator<char>(ca_in)), {});
  auto [code, body] = kubeletGet(ip, port, kubelet_ca, "/metrics/resource", Simulation::kKmetricsToken);
  EXPECT_EQ(code, 200);
  EXPECT_NE(body.find("container_cpu_usage_seconds_total"), std::string::npos);
  EXPECT_EQ(kubeletGet(ip, port, kubelet_ca, "/metrics/resource", Simulation::kNobodyToken).first, 403);
  EXPECT_EQ(kubeletGet(ip, port, kubelet_ca, "/metrics/resource", "wrong").first, 401);
  // the cluster CA does not verify kubelets
  EXPECT_ANY_THROW(kubeletGet(ip, port, sim.clusterCa().certPem(), "/healthz", Simulation::kKmetricsToken));
  sim.stop();
  std::filesystem::remove_all(o.dir);
}

}  // namespace
