// The fleet over real TLS sockets: authentication, every endpoint against the workload ground truth,
// counters advancing, every fault mode, restarts, nodes and pods coming and going, keep-alive.
#include "kubelet/kubelet_fleet.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "cluster/workload.hpp"
#include "https_test_client.hpp"

namespace kmetrics::sim {
namespace {

using testing::ClientTlsContext;
using testing::HttpsConnection;
using testing::HttpsResponse;

constexpr const char* kToken = "good-token";
constexpr const char* kForbidden = "forbidden-token";

UnixNanos now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- a deliberately simple Prometheus text reader (the test's own, not the plugins') ----
struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
  std::optional<int64_t> ts;
};

std::vector<PromSample> parseProm(const std::string& text) {
  std::vector<PromSample> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    PromSample s;
    size_t i = line.find_first_of("{ ");
    s.name = line.substr(0, i);
    if (line[i] == '{') {
      ++i;
      while (line[i] != '}') {
        const size_t eq = line.find('=', i);
        const std::string key = line.substr(i, eq - i);
        std::string val;
        size_t j = eq + 2;
        for (; line[j] != '"'; ++j) {
          if (line[j] == '\\') ++j;
          val += line[j];
        }
        s.labels[key] = val;
        i = j + 1;
        if (line[i] == ',') ++i;
      }
      ++i;
    }
    std::istringstream rest(line.substr(i));
    std::string v, ts;
    rest >> v >> ts;
    s.value = std::strtod(v.c_str(), nullptr);
    if (!ts.empty()) s.ts = std::stoll(ts);
    out.push_back(s);
  }
  return out;
}

const PromSample* find(const std::vector<PromSample>& all, const std::string& name,
                       const std::map<std::string, std::string>& labels = {}) {
  for (const auto& s : all) {
    if (s.name != name) continue;
    bool ok = true;
    for (const auto& [k, v] : labels) ok = ok && s.labels.count(k) && s.labels.at(k) == v;
    if (ok) return &s;
  }
  return nullptr;
}

class KubeletFleetTest : public ::testing::Test {
 protected:
  virtual int threads() const { return 1; }
  void SetUp() override {
    ClusterSpec spec;
    spec.nodes = 3;
    spec.pods_per_node = 5;  // pod 4 gets a sidecar
    // Own port and addresses so that parallel test binaries (apiserver, app) never collide.
    spec.kubelet_port = static_cast<uint16_t>(30000 + getpid() % 20000);
    spec.address_base = 200;
    state_.populate(spec, now());
    FleetOptions opts;
    opts.accepted_token = kToken;
    opts.forbidden_token = kForbidden;
    opts.client_ca_pem = client_ca_.certPem();
    opts.threads = threads();
    fleet_ = std::make_unique<KubeletFleet>(state_, ca_, opts);
    fleet_->start();
  }
  void TearDown() override { fleet_->stop(); }

  Node node(int i) { return *state_.node("node-" + std::to_string(i)); }
  std::unique_ptr<HttpsConnection> connect(const Node& n, int timeout_ms = 5000) {
    return std::make_unique<HttpsConnection>(client_tls_, n.internal_ip, n.kubelet_port, timeout_ms);
  }
  HttpsResponse get(const Node& n, const std::string& path, const std::string& token = kToken) {
    auto c = connect(n);
    return c->request("GET", path, token);
  }

  ClusterState state_{now()};
  CertificateAuthority ca_ = CertificateAuthority::create("kubelet-ca");
  CertificateAuthority client_ca_ = CertificateAuthority::create("client-ca");
  ClientTlsContext client_tls_{ca_.certPem()};
  std::unique_ptr<KubeletFleet> fleet_;
};

TEST_F(KubeletFleetTest, ServingCertificateIdentifiesTheNode) {
  const Node n = node(1);
  auto c = connect(n);
  ASSERT_TRUE(c->connect()) << c->error();  // verified against the kubelet CA and the IP SAN
  EXPECT_EQ(c->peerCommonName(), "system:node:node-1");
  const std::string sans = c->peerSubjectAltNames();
  EXPECT_NE(sans.find("DNS:node-1"), std::string::npos) << sans;
  EXPECT_NE(sans.find("IP Address:" + n.internal_ip), std::string::npos) << sans;
}

TEST_F(KubeletFleetTest, AuthenticationAndAuthorization) {
  const Node n = node(0);
  EXPECT_EQ(get(n, "/metrics/resource", "").status, 401);
  EXPECT_EQ(get(n, "/metrics/resource", "wrong").status, 401);
  EXPECT_EQ(get(n, "/healthz", "").status, 401);  // port 10250 authenticates every path
  const HttpsResponse forbidden = get(n, "/metrics/resource", kForbidden);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_NE(forbidden.body.find("subresource(s)=[metrics]"), std::string::npos) << forbidden.body;
  EXPECT_EQ(get(n, "/stats/summary", kForbidden).body.find("subresource(s)=[stats]") != std::string::npos, true);
  const HttpsResponse ok = get(n, "/healthz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok");
  EXPECT_EQ(get(n, "/nope").status, 404);
  EXPECT_EQ(get(n, "/metrics/resource/v1alpha1").status, 404);
}

TEST_F(KubeletFleetTest, ClientCertificateAuthenticates) {
  const KeyPair kp = client_ca_.issue(CertSpec{"system:serviceaccount:kube-system:metrics-server", {}, {}, {}, false,
                                               true, 1});
  ClientTlsContext tls(ca_.certPem(), kp.cert_pem, kp.key_pem);
  const Node n = node(0);
  HttpsConnection c(tls, n.internal_ip, n.kubelet_port);
  EXPECT_EQ(c.request("GET", "/healthz", "").status, 200);
  // A certificate from another CA does not authenticate.
  const KeyPair other = ca_.issue(CertSpec{"intruder", {}, {}, {}, false, true, 1});
  ClientTlsContext tls2(ca_.certPem(), other.cert_pem, other.key_pem);
  HttpsConnection c2(tls2, n.internal_ip, n.kubelet_port);
  EXPECT_EQ(c2.request("GET", "/healthz", "").status, 401);
}

TEST_F(KubeletFleetTest, ResourceMetricsMatchGroundTruth) {
  const Node n = node(2);
  const UnixNanos before = now();
  const HttpsResponse r = get(n, "/metrics/resource");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.headers.at("transfer-encoding"), "chunked");  // > 2 KiB, as Go's net/http sends it
  const auto samples = parseProm(r.body);
  uint64_t mem_sum = n.memory_base_bytes;
  size_t containers = 0;
  for (const Pod& p : state_.podsOnNode(n.name)) {
    for (const Container& c : p.containers) {
      ++containers;
      const std::map<std::string, std::string> l{{"container", c.name}, {"namespace", p.ns}, {"pod", p.name}};
      const PromSample* cpu = find(samples, "container_cpu_usage_seconds_total", l);
      const PromSample* mem = find(samples, "container_memory_working_set_bytes", l);
      const PromSample* start = find(samples, "container_start_time_seconds", l);
      ASSERT_TRUE(cpu && mem && start) << p.name << "/" << c.name;
      ASSERT_TRUE(cpu->ts.has_value());
      EXPECT_GE(*cpu->ts, before / 1'000'000);
      const double truth = cumulativeCpuNanos(c.workload.cpu_millicores, c.start_time, *cpu->ts * 1'000'000) / 1e9;
      EXPECT_NEAR(cpu->value, truth, 0.0011);  // value at ns precision, timestamp in ms
      EXPECT_EQ(mem->value, static_cast<double>(c.workload.memory_bytes));
      EXPECT_NEAR(start->value, c.start_time / 1e9, 1e-6);
      EXPECT_FALSE(start->ts.has_value());
      mem_sum += c.workload.memory_bytes;
    }
    EXPECT_NE(find(samples, "pod_cpu_usage_seconds_total", {{"namespace", p.ns}, {"pod", p.name}}), nullptr);
  }
  EXPECT_EQ(containers, 6u);
  const PromSample* node_mem = find(samples, "node_memory_working_set_bytes");
  ASSERT_NE(node_mem, nullptr);
  EXPECT_EQ(node_mem->value, static_cast<double>(mem_sum));
  const PromSample* err = find(samples, "resource_scrape_error");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->value, 0);
}

TEST_F(KubeletFleetTest, CountersAdvanceAtTheModelRate) {
  const Node n = node(0);
  auto c = connect(n);
  const auto a = parseProm(c->request("GET", "/metrics/resource", kToken).body);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  const auto b = parseProm(c->request("GET", "/metrics/resource", kToken).body);
  uint64_t rate = n.cpu_base_millicores;
  for (const Pod& p : state_.podsOnNode(n.name)) {
    for (const Container& ct : p.containers) {
      rate += ct.workload.cpu_millicores;
      const std::map<std::string, std::string> l{{"container", ct.name}, {"namespace", p.ns}, {"pod", p.name}};
      const PromSample* ca = find(a, "container_cpu_usage_seconds_total", l);
      const PromSample* cb = find(b, "container_cpu_usage_seconds_total", l);
      ASSERT_TRUE(ca && cb);
      const double secs = (*cb->ts - *ca->ts) / 1000.0;
      EXPECT_NEAR((cb->value - ca->value) / secs, ct.workload.cpu_millicores / 1000.0, 0.002);
    }
  }
  const PromSample* na = find(a, "node_cpu_usage_seconds_total");
  const PromSample* nb = find(b, "node_cpu_usage_seconds_total");
  ASSERT_TRUE(na && nb);
  const double secs = (*nb->ts - *na->ts) / 1000.0;
  EXPECT_NEAR((nb->value - na->value) / secs, rate / 1000.0, 0.005);
}

TEST_F(KubeletFleetTest, SummaryMatchesGroundTruth) {
  const Node n = node(1);
  for (const bool only : {false, true}) {
    const HttpsResponse r = get(n, only ? "/stats/summary?only_cpu_and_memory=true" : "/stats/summary");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    const auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j.at("node").at("nodeName"), n.name);
    EXPECT_EQ(j.at("node").contains("network"), !only);
    const auto pods = state_.podsOnNode(n.name);
    ASSERT_EQ(j.at("pods").size(), pods.size());
    for (const auto& jp : j.at("pods")) {
      const auto p = state_.pod(jp.at("podRef").at("namespace"), jp.at("podRef").at("name"));
      ASSERT_TRUE(p);
      EXPECT_EQ(jp.at("podRef").at("uid"), p->uid);
      EXPECT_EQ(jp.contains("volume"), !only);
      ASSERT_EQ(jp.at("containers").size(), p->containers.size());
      for (const auto& jc : jp.at("containers")) {
        const Container* c = nullptr;
        for (const auto& x : p->containers) if (x.name == jc.at("name")) c = &x;
        ASSERT_NE(c, nullptr);
        EXPECT_EQ(jc.at("memory").at("workingSetBytes").get<uint64_t>(), c->workload.memory_bytes);
        EXPECT_EQ(jc.at("cpu").at("usageNanoCores").get<uint64_t>(), c->workload.cpu_millicores * 1'000'000);
        const uint64_t truth = cumulativeCpuNanos(c->workload.cpu_millicores, c->start_time, now());
        EXPECT_NEAR(static_cast<double>(jc.at("cpu").at("usageCoreNanoSeconds").get<uint64_t>()),
                    static_cast<double>(truth), 1e9 * c->workload.cpu_millicores / 1000.0);  // within 1 s of usage
      }
    }
  }
  // POST works too (the kubelet registers both methods).
  auto c = connect(n);
  const HttpsResponse post = c->request("POST", "/stats/summary", kToken, "Content-Length: 2\r\n", "{}");
  EXPECT_EQ(post.status, 200);
  EXPECT_EQ(c->request("POST", "/metrics/resource", kToken).status, 405);
}

TEST_F(KubeletFleetTest, CadvisorMatchesGroundTruth) {
  const Node n = node(0);
  const HttpsResponse r = get(n, "/metrics/cadvisor");
  ASSERT_EQ(r.status, 200);
  const auto samples = parseProm(r.body);
  for (const Pod& p : state_.podsOnNode(n.name)) {
    for (const Container& c : p.containers) {
      const PromSample* mem = find(samples, "container_memory_working_set_bytes",
                                   {{"container", c.name}, {"namespace", p.ns}, {"pod", p.name}});
      ASSERT_NE(mem, nullptr);
      EXPECT_EQ(mem->value, static_cast<double>(c.workload.memory_bytes));
      const PromSample* cpu = find(samples, "container_cpu_usage_seconds_total",
                                   {{"container", c.name}, {"namespace", p.ns}, {"pod", p.name}});
      ASSERT_NE(cpu, nullptr);
      EXPECT_EQ(cpu->labels.at("cpu"), "total");
      EXPECT_EQ(cpu->labels.at("image"), "registry.k8s.io/sim/" + c.name + ":1.0");
      EXPECT_EQ(cpu->labels.at("name").size(), 64u);
    }
  }
  EXPECT_NE(find(samples, "container_cpu_usage_seconds_total", {{"id", "/"}}), nullptr);
}

TEST_F(KubeletFleetTest, KeepAliveReusesOneConnection) {
  const Node n = node(0);
  const FleetStats before = fleet_->stats();
  auto c = connect(n);
  for (int i = 0; i < 5; ++i) {
    for (const char* path : {"/metrics/resource", "/stats/summary", "/healthz", "/metrics/cadvisor"}) {
      const HttpsResponse r = c->request("GET", path, kToken);
      ASSERT_EQ(r.status, 200) << path << " " << r.error;
      ASSERT_TRUE(r.complete);
    }
  }
  // The server counts a response after handing it to TLS, which can be just after the client has it.
  FleetStats after = fleet_->stats();
  for (int i = 0; i < 100 && after.requests_served - before.requests_served < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after = fleet_->stats();
  }
  EXPECT_EQ(after.connections_accepted - before.connections_accepted, 1u);
  EXPECT_EQ(after.handshakes_completed - before.handshakes_completed, 1u);
  EXPECT_EQ(after.requests_served - before.requests_served, 20u);
}

TEST_F(KubeletFleetTest, TlsSessionsResume) {
  const Node n = node(2);
  auto c = connect(n);
  ASSERT_EQ(c->request("GET", "/healthz", kToken).status, 200);
  c->close();
  ASSERT_EQ(c->request("GET", "/healthz", kToken).status, 200);
  EXPECT_TRUE(c->sessionReused());
}

TEST_F(KubeletFleetTest, ConnectionCloseAndHttp10) {
  const Node n = node(0);
  auto c = connect(n);
  const HttpsResponse r = c->request("GET", "/healthz", kToken, "Connection: close\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.at("connection"), "close");
  EXPECT_FALSE(c->connected());
}

TEST_F(KubeletFleetTest, FaultHang) {
  const Node n = node(1);
  state_.setFault(n.name, FaultMode::kHang);
  auto c = connect(n, 400);
  const auto t0 = std::chrono::steady_clock::now();
  const HttpsResponse r = c->request("GET", "/metrics/resource", kToken);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.complete);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(350));
  // Other nodes are unaffected while a hung connection is open.
  auto hung = connect(n, 1500);
  ASSERT_TRUE(hung->connect());
  std::thread waiter([&hung] { EXPECT_FALSE(hung->request("GET", "/healthz", kToken).complete); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(get(node(0), "/healthz").status, 200);
  waiter.join();  // the fault stays on for the whole life of the hung request
  state_.setFault(n.name, FaultMode::kNone);
  EXPECT_EQ(get(n, "/healthz").status, 200);
}

TEST_F(KubeletFleetTest, FaultHttp500) {
  const Node n = node(0);
  state_.setFault(n.name, FaultMode::kHttp500);
  EXPECT_EQ(get(n, "/metrics/resource").status, 500);
  EXPECT_EQ(get(n, "/stats/summary").status, 500);
  EXPECT_EQ(get(n, "/metrics/resource", "").status, 401);  // authentication still comes first
}

TEST_F(KubeletFleetTest, FaultGarbage) {
  const Node n = node(0);
  state_.setFault(n.name, FaultMode::kGarbage);
  auto c = connect(n);
  for (int i = 0; i < 3; ++i) {  // the connection stays usable: the length is honest
    const HttpsResponse r = c->request("GET", "/metrics/resource", kToken);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.complete);
    EXPECT_GE(r.body.size(), 256u);
    EXPECT_NE(r.body.rfind("# HELP", 0), 0u);
  }
}

TEST_F(KubeletFleetTest, FaultTruncated) {
  const Node n = node(0);
  const HttpsResponse full = get(n, "/metrics/resource");
  state_.setFault(n.name, FaultMode::kTruncated);
  for (const char* path : {"/metrics/resource", "/stats/summary", "/healthz"}) {
    auto c = connect(n);
    const HttpsResponse r = c->request("GET", path, kToken);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_FALSE(r.complete) << path;
    if (std::string(path) == "/metrics/resource") {
      EXPECT_GT(r.body.size(), full.body.size() / 3);
      EXPECT_LT(r.body.size(), full.body.size() * 2 / 3 + 100);
    }
    EXPECT_FALSE(c->connected());
  }
}

TEST_F(KubeletFleetTest, FaultNaN) {
  const Node n = node(0);
  state_.setFault(n.name, FaultMode::kNaN);
  const auto samples = parseProm(get(n, "/metrics/resource").body);
  const PromSample* cpu = find(samples, "container_cpu_usage_seconds_total");
  const PromSample* mem = find(samples, "node_memory_working_set_bytes");
  ASSERT_TRUE(cpu && mem);
  EXPECT_TRUE(std::isnan(cpu->value));
  EXPECT_TRUE(std::isinf(mem->value));
  const auto j = nlohmann::json::parse(get(n, "/stats/summary").body);
  EXPECT_EQ(j.at("node").at("cpu").at("usageCoreNanoSeconds").get<uint64_t>(), UINT64_MAX);
}

TEST_F(KubeletFleetTest, FaultSlow) {
  const Node n = node(2);
  state_.setFault(n.name, FaultMode::kSlow, 1500);
  auto c = connect(n);
  ASSERT_TRUE(c->connect());
  const auto t0 = std::chrono::steady_clock::now();
  const HttpsResponse r = c->request("GET", "/metrics/resource", kToken);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_NE(r.body.find("resource_scrape_error 0"), std::string::npos);
  EXPECT_GE(took, std::chrono::milliseconds(1490));
  EXPECT_LT(took, std::chrono::milliseconds(4000));
  // Other nodes answer while a slow one is waiting (generous bound: shared CI machines are busy).
  std::thread slow([&] { get(n, "/metrics/resource"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(get(node(0), "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(1000));
  slow.join();
}

TEST_F(KubeletFleetTest, FaultSummaryOnly) {
  const Node n = node(1);
  state_.setFault(n.name, FaultMode::kSummaryOnly);
  EXPECT_EQ(get(n, "/metrics/resource").status, 404);
  EXPECT_EQ(get(n, "/stats/summary?only_cpu_and_memory=true").status, 200);
  EXPECT_EQ(get(n, "/metrics/cadvisor").status, 200);
}

TEST_F(KubeletFleetTest, RestartResetsContainerCounterButNotNodeCounter) {
  const Node n = node(0);
  const Pod p = state_.podsOnNode(n.name).front();
  const Container& c = p.containers.front();
  const std::map<std::string, std::string> l{{"container", c.name}, {"namespace", p.ns}, {"pod", p.name}};
  auto conn = connect(n);
  const auto a = parseProm(conn->request("GET", "/metrics/resource", kToken).body);
  ASSERT_GT(find(a, "container_cpu_usage_seconds_total", l)->value, 60.0);  // an hour old
  const UnixNanos restart_at = now();
  ASSERT_TRUE(state_.restartContainer(p.ns, p.name, c.name, restart_at));
  const auto b = parseProm(conn->request("GET", "/metrics/resource", kToken).body);
  EXPECT_LT(find(b, "container_cpu_usage_seconds_total", l)->value, 1.0);
  EXPECT_NEAR(find(b, "container_start_time_seconds", l)->value, restart_at / 1e9, 1e-6);
  EXPECT_GE(find(b, "node_cpu_usage_seconds_total")->value, find(a, "node_cpu_usage_seconds_total")->value);
}

TEST_F(KubeletFleetTest, PodsComeAndGo) {
  const Node n = node(2);
  Pod p;
  p.ns = "default";
  p.name = "late-pod";
  p.uid = "uid-late";
  p.node_name = n.name;
  p.creation_time = now();
  Container c;
  c.name = "app";
  c.start_time = now();
  c.workload = workloadFor("default/late-pod/app");
  p.containers = {c};
  Pod pending = p;
  pending.name = "pending-pod";
  pending.phase = "Pending";
  state_.addPod(p);
  state_.addPod(pending);
  auto conn = connect(n);
  auto s = parseProm(conn->request("GET", "/metrics/resource", kToken).body);
  EXPECT_NE(find(s, "container_memory_working_set_bytes", {{"pod", "late-pod"}}), nullptr);
  EXPECT_EQ(find(s, "container_memory_working_set_bytes", {{"pod", "pending-pod"}}), nullptr);
  state_.removePod("default", "late-pod");
  s = parseProm(conn->request("GET", "/metrics/resource", kToken).body);
  EXPECT_EQ(find(s, "container_memory_working_set_bytes", {{"pod", "late-pod"}}), nullptr);
}

TEST_F(KubeletFleetTest, NodesComeAndGo) {
  Node n = node(0);
  n.name = "node-new";
  n.internal_ip = nodeAddress(240);
  state_.addNode(n);
  std::optional<HttpsResponse> r;
  for (int i = 0; i < 100; ++i) {  // the listener opens asynchronously
    auto c = connect(n, 1000);
    if (c->connect()) {
      r = c->request("GET", "/metrics/resource", kToken);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(find(parseProm(r->body), "node_cpu_usage_seconds_total"), nullptr);

  auto kept = connect(n);
  ASSERT_EQ(kept->request("GET", "/healthz", kToken).status, 200);
  ASSERT_TRUE(state_.removeNode("node-new"));
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    auto c = connect(n, 1000);
    refused = !c->connect();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(refused);
  EXPECT_FALSE(kept->request("GET", "/healthz", kToken).complete);  // open connections are closed too
  EXPECT_EQ(fleet_->stats().listeners_open, 3u);
}

TEST_F(KubeletFleetTest, HalfClosedClientStillGetsItsAnswer) {
  const Node n = node(1);
  auto c = connect(n);
  c->setHalfCloseAfterRequest(true);
  const HttpsResponse r = c->request("GET", "/metrics/resource", kToken);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_TRUE(r.complete);
  EXPECT_NE(r.body.find("resource_scrape_error 0"), std::string::npos);
  // Also when the answer is delayed by the slow fault.
  state_.setFault(n.name, FaultMode::kSlow, 300);
  auto c2 = connect(n);
  c2->setHalfCloseAfterRequest(true);
  const HttpsResponse r2 = c2->request("GET", "/healthz", kToken);
  EXPECT_EQ(r2.status, 200) << r2.error;
  EXPECT_EQ(r2.body, "ok");
}

TEST_F(KubeletFleetTest, BadRequestsAreAnsweredAndClosed) {
  const Node n = node(0);
  auto c = connect(n);
  const HttpsResponse r = c->request("GET", "/healthz", kToken, std::string("X-Big: ") + std::string(20000, 'a') + "\r\n");
  EXPECT_EQ(r.status, 431);
  EXPECT_FALSE(c->connected());
}

// The same fleet on two event loops: nodes are spread over both, changes still reach the right one.
class KubeletFleetTwoLoopsTest : public KubeletFleetTest {
 protected:
  int threads() const override { return 2; }
};

TEST_F(KubeletFleetTwoLoopsTest, EveryNodeServesAndNodesComeAndGo) {
  for (int i = 0; i < 3; ++i) {
    const HttpsResponse r = get(node(i), "/metrics/resource");
    EXPECT_EQ(r.status, 200) << i;
    EXPECT_NE(r.body.find("resource_scrape_error 0"), std::string::npos);
  }
  for (int k = 0; k < 4; ++k) {
    Node n = node(0);
    n.name = "extra-" + std::to_string(k);
    n.internal_ip = nodeAddress(230 + k);
    state_.addNode(n);
  }
  for (int k = 0; k < 4; ++k) {
    Node n = *state_.node("extra-" + std::to_string(k));
    bool ok = false;
    for (int i = 0; i < 100 && !ok; ++i) {
      ok = get(n, "/healthz").status == 200;
      if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(ok) << n.name;
    state_.removeNode(n.name);
  }
  for (int i = 0; i < 100 && fleet_->stats().listeners_open != 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(fleet_->stats().listeners_open, 3u);
}

}  // namespace
}  // namespace kmetrics::sim
