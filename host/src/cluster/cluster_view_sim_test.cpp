// ClusterView against the simulated kube-apiserver (tests/sim): real list/watch semantics, bookmarks,
// both 410 styles (ERROR event and HTTP 410), RBAC with a bearer token.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "apiserver/apiserver.hpp"
#include "cluster/cluster_view.hpp"

namespace {

using namespace std::chrono_literals;
namespace sim = kmetrics::sim;
namespace kc = kmetrics::cluster;

sim::UnixNanos now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

size_t running_pods(const sim::ClusterState& s) {
  size_t n = 0;
  for (const auto& p : s.pods()) n += p.phase == "Running";
  return n;
}

sim::Pod make_pod(const std::string& ns, const std::string& name, const std::string& node, const std::string& phase) {
  sim::Pod p;
  p.ns = ns;
  p.name = name;
  p.uid = "uid-" + name;
  p.node_name = node;
  p.phase = phase;
  p.creation_time = now_ns();
  sim::Container c;
  c.name = "main";
  c.cpu_request_millicores = 150;
  c.memory_limit_bytes = 256ull << 20;
  p.containers.push_back(c);
  return p;
}

TEST(ClusterViewSimTest, FollowsTheSimulatedApiServer) {
  auto ca = sim::CertificateAuthority::create("sim-ca");
  auto front = sim::CertificateAuthority::create("sim-front-proxy-ca");
  sim::ClusterState state(now_ns());
  sim::ClusterSpec spec;
  spec.nodes = 4;
  spec.pods_per_node = 5;
  state.populate(spec, now_ns());
  sim::ApiServerConfig cfg;
  sim::CertSpec serving;
  serving.common_name = "kube-apiserver";
  serving.dns_sans = {"localhost"};
  serving.ip_sans = {"127.0.0.1"};
  cfg.serving = ca.issue(serving);
  cfg.client_ca_pem = ca.certPem();
  cfg.front_proxy_ca_pem = front.certPem();
  sim::CertSpec agg;
  agg.common_name = "aggregator";
  agg.server_auth = false;
  agg.client_auth = true;
  cfg.front_proxy_client = front.issue(agg);
  cfg.bookmark_interval_ms = 200;
  sim::ApiServer api(state, cfg);
  api.authenticator().addToken("kmetrics-token", sim::UserInfo{cfg.kmetrics_user, "", {}, {}});
  api.start();

  kc::RestConfig rc;
  rc.server = api.url();
  rc.tls.ca_pem = ca.certPem();
  rc.tls.origin = "sim";
  rc.token = kmetrics::http::TokenSource::fixed("kmetrics-token");
  kc::ClusterViewOptions o;
  o.publish_interval = 20ms;
  o.reflector.list_page_size = 7;
  o.reflector.backoff_initial = 20ms;
  o.reflector.backoff_max = 200ms;
  kc::ClusterView view(std::make_shared<kc::ApiClient>(rc), o);
  view.start();
  ASSERT_TRUE(view.wait_for_sync(20s)) << view.last_error();
  EXPECT_EQ(view.snapshot()->node_count(), state.nodes().size());
  EXPECT_EQ(view.snapshot()->pod_count(), running_pods(state));
  auto first = state.nodes().front();
  const kc::NodeInfo* n = view.snapshot()->find_node(first.name);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->kubelet_port, first.kubelet_port);
  ASSERT_FALSE(n->addresses.empty());

  std::string node = first.name;
  state.addPod(make_pod("default", "sim-new", node, "Running"));
  state.addPod(make_pod("default", "sim-done", node, "Succeeded"));
  ASSERT_TRUE(eventually([&] { return view.snapshot()->find_pod("default", "sim-new") != nullptr; })) << view.last_error();
  const kc::PodInfo* p = view.snapshot()->find_pod("default", "sim-new");
  EXPECT_EQ(p->containers().at(0).cpu_request_millicores, 150);
  EXPECT_EQ(p->containers().at(0).memory_limit_bytes, 256ll << 20);
  EXPECT_EQ(view.snapshot()->find_pod("default", "sim-done"), nullptr);

  // 410 as an ERROR event, then as an HTTP status: both relist and converge.
  auto relists = view.stats().relists;
  api.expireWatches("", false);
  ASSERT_TRUE(eventually([&] { return view.stats().relists >= relists + 2; })) << view.last_error();
  state.removePod("default", "sim-new");
  ASSERT_TRUE(eventually([&] { return view.snapshot()->find_pod("default", "sim-new") == nullptr; }));
  relists = view.stats().relists;
  api.expireWatches("pods", true);
  state.addPod(make_pod("team-a", "after-410", node, "Running"));
  ASSERT_TRUE(eventually([&] { return view.snapshot()->find_pod("team-a", "after-410") != nullptr; })) << view.last_error();
  EXPECT_TRUE(eventually([&] { return view.snapshot()->pod_count() == running_pods(state); }));
  EXPECT_GE(view.stats().relists, relists);
  view.stop();
  api.stop();
}

}  // namespace
