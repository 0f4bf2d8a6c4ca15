#include "sim_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#ifndef KMETRICS_E2E_KMETRICS_BIN
#define KMETRICS_E2E_KMETRICS_BIN "kmetrics"
#endif
#ifndef KMETRICS_E2E_SIM_BIN
#define KMETRICS_E2E_SIM_BIN "kmetrics-sim"
#endif

namespace kmetrics::e2e {
namespace fs = std::filesystem;

std::string kmetricsBinary() {
  const char* env = std::getenv("KMETRICS_E2E_KMETRICS");
  return env != nullptr ? env : KMETRICS_E2E_KMETRICS_BIN;
}

std::string simBinary() {
  const char* env = std::getenv("KMETRICS_E2E_SIM");
  return env != nullptr ? env : KMETRICS_E2E_SIM_BIN;
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port on 127.0.0.1");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

bool waitUntil(const std::function<bool()>& pred, std::chrono::seconds timeout,
               std::chrono::milliseconds interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() + interval > deadline) return pred();
    std::this_thread::sleep_for(interval);
  }
}

E2ECluster::E2ECluster(ClusterOptions opts) : opts_(std::move(opts)) {}

E2ECluster::~E2ECluster() { stop(); }

void E2ECluster::start() {
  char tmpl[] = "/tmp/kmetrics-e2e.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  sim_dir_ = dir_ + "/sim";
  kmetrics_port_ = freePort();
  // Kubelets listen on 127.1.x.y:<port>; a port of our own keeps colleagues' sims out of the way.
  kubelet_port_ = freePort();

  sim_.start({simBinary(), "--dir", sim_dir_, "--nodes", std::to_string(opts_.nodes), "--pods-per-node",
              std::to_string(opts_.pods_per_node), "--kubelet-port", std::to_string(kubelet_port_),
              "--metrics-backend", "https://127.0.0.1:" + std::to_string(kmetrics_port_),
              "--probe-interval-ms", "1000"},
             dir_ + "/sim.out", dir_ + "/sim.log");
  const bool sim_ready = waitUntil(
      [&] { return readFile(dir_ + "/sim.out").rfind("READY", 0) == 0 || !sim_.running(); },
      std::chrono::seconds(90), std::chrono::milliseconds(200));
  if (!sim_ready || !sim_.running()) {
    dumpLogs();
    throw std::runtime_error("kmetrics-sim did not print READY (" + sim_.exitDescription() + "), dir " + dir_);
  }
  Poco::JSON::Parser parser;
  auto sim_json = parser.parse(readFile(sim_dir_ + "/sim.json")).extract<Poco::JSON::Object::Ptr>();
  apiserver_port_ = sim_json->getObject("apiserver")->getValue<int>("port");

  // metrics-server's flags (components.yaml) plus where this cluster's files are.
  std::vector<std::string> argv{kmetricsBinary(),
                                "--kubeconfig", sim_dir_ + "/kmetrics.kubeconfig",
                                "--bind-address", "127.0.0.1",
                                "--secure-port", std::to_string(kmetrics_port_),
                                "--cert-dir", dir_ + "/certs",
                                "--kubelet-certificate-authority", sim_dir_ + "/kubelet-ca.crt",
                                "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                                "--kubelet-use-node-status-port",
                                "--metric-resolution=" + opts_.metric_resolution};
  argv.insert(argv.end(), opts_.extra_kmetrics_args.begin(), opts_.extra_kmetrics_args.end());
  kmetrics_.start(argv, dir_ + "/kmetrics.out", dir_ + "/kmetrics.log");

  // Ready = kmetrics says so, the aggregator has it Available, and every Running pod is served.
  const Truth t = truth();
  size_t running = 0;
  for (const auto& p : t.pods) running += p.running() ? 1 : 0;
  std::string last;
  const bool ready = waitUntil(
      [&] {
        if (!kmetrics_.running()) return true;
        if (kmetrics("/readyz").status != 200) {
          last = "kmetrics /readyz not 200";
          return false;
        }
        auto r = apiserver("GET", "/apis/metrics.k8s.io/v1beta1/pods");
        if (r.status != 200) {
          last = "aggregated pods list: " + std::to_string(r.status) + " " + r.body.substr(0, 200);
          return false;
        }
        auto items = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>()->getArray("items");
        auto n = apiserver("GET", "/apis/metrics.k8s.io/v1beta1/nodes");
        auto nitems = n.status == 200
                          ? Poco::JSON::Parser().parse(n.body).extract<Poco::JSON::Object::Ptr>()->getArray("items")
                          : nullptr;
        last = "pods served " + std::to_string(items ? items->size() : 0) + "/" + std::to_string(running) +
               ", nodes " + std::to_string(nitems ? nitems->size() : 0) + "/" + std::to_string(t.nodes.size());
        return items && items->size() == running && nitems && nitems->size() == t.nodes.size();
      },
      std::chrono::seconds(150), std::chrono::milliseconds(1000));
  if (!ready || !kmetrics_.running()) {
    dumpLogs();
    throw std::runtime_error("kmetrics not ready (" + last + "; process: " +
                             (kmetrics_.running() ? "running" : kmetrics_.exitDescription()) + "), dir " + dir_);
  }
}

std::string E2ECluster::stopKmetrics() { return kmetrics_.stop(std::chrono::seconds(10)); }

void E2ECluster::stop() {
  kmetrics_.stop(std::chrono::seconds(10));
  sim_.stop(std::chrono::seconds(10));
  if (!dir_.empty() && !keepDir) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

void E2ECluster::dumpLogs() const {
  std::cerr << "===== e2e dir " << dir_ << " =====\n"
            << "===== kmetrics log (tail) =====\n" << tailFile(dir_ + "/kmetrics.log")
            << tailFile(dir_ + "/kmetrics.out", 4096) << "\n===== kmetrics-sim log (tail) =====\n"
            << tailFile(dir_ + "/sim.log", 8192) << "\n===== end of logs =====\n";
}

bool E2ECluster::kmetricsAlive() { return kmetrics_.running(); }

std::string E2ECluster::kmetricsLogTail() const { return tailFile(dir_ + "/kmetrics.log", 6000); }

HttpResponse E2ECluster::apiserver(const std::string& method, const std::string& path,
                                   const std::map<std::string, std::string>& headers) const {
  return httpsRequest("127.0.0.1", apiserver_port_, method, path,
                      {sim_dir_ + "/ca.crt", sim_dir_ + "/admin.crt", sim_dir_ + "/admin.key"}, headers);
}

HttpResponse E2ECluster::apiserverAs(const std::string& user, const std::string& method, const std::string& path,
                                     const std::map<std::string, std::string>& headers) const {
  return httpsRequest("127.0.0.1", apiserver_port_, method, path,
                      {sim_dir_ + "/ca.crt", sim_dir_ + "/" + user + ".crt", sim_dir_ + "/" + user + ".key"}, headers);
}

Truth E2ECluster::truth() const {
  auto r = apiserver("GET", "/sim/truth");
  if (r.status != 200) throw std::runtime_error("GET /sim/truth: " + std::to_string(r.status) + " " + r.body);
  return parseTruth(r.body);
}

void E2ECluster::simPost(const std::string& path) const {
  auto r = apiserver("POST", path);
  if (r.status < 200 || r.status > 299)
    throw std::runtime_error("POST " + path + ": " + std::to_string(r.status) + " " + r.body);
}

void E2ECluster::simDelete(const std::string& path) const {
  auto r = apiserver("DELETE", path);
  if (r.status < 200 || r.status > 299)
    throw std::runtime_error("DELETE " + path + ": " + std::to_string(r.status) + " " + r.body);
}

HttpResponse E2ECluster::kmetrics(const std::string& path) const {
  return httpsRequest("127.0.0.1", kmetrics_port_, "GET", path, {}, {}, std::chrono::seconds(10));
}

namespace {

std::unique_ptr<E2ECluster> g_cluster;
std::string g_start_error;

class ClusterEnvironment : public ::testing::Environment {
 public:
  explicit ClusterEnvironment(ClusterOptions o) : opts_(std::move(o)) {}
  void SetUp() override {
    g_cluster = std::make_unique<E2ECluster>(opts_);
    try {
      g_cluster->start();
    } catch (const std::exception& e) {
      // No FAIL() here: GoogleTest would report every test as skipped. Each test fails instead,
      // through cluster(), with this message.
      g_start_error = e.what();
      g_cluster->keepDir = true;
      g_cluster.reset();
      std::cerr << "e2e cluster failed to start: " << g_start_error << "\n";
    }
  }
  void TearDown() override {
    if (!g_cluster) return;
    const bool alive = g_cluster->kmetricsAlive();
    // metrics-server exits 0 on SIGTERM; a crash or a hang in shutdown is a failure too.
    const std::string exit = alive ? g_cluster->stopKmetrics() : g_cluster->kmetricsExit();
    const bool failed = ::testing::UnitTest::GetInstance()->failed_test_count() > 0 || !alive || exit != "exit 0";
    if (failed) {
      g_cluster->keepDir = true;
      g_cluster->dumpLogs();
    }
    g_cluster->stop();
    g_cluster.reset();
    EXPECT_TRUE(alive) << "kmetrics had exited before the end of the suite: " << exit;
    EXPECT_EQ(exit, "exit 0") << "kmetrics did not exit cleanly on SIGTERM";
  }

 private:
  ClusterOptions opts_;
};

}  // namespace

E2ECluster& cluster() {
  if (!g_cluster) throw std::runtime_error("the e2e cluster is not running: " + g_start_error);
  return *g_cluster;
}

void installClusterEnvironment(ClusterOptions opts) {
  ::testing::AddGlobalTestEnvironment(new ClusterEnvironment(std::move(opts)));
}

}  // namespace kmetrics::e2e
