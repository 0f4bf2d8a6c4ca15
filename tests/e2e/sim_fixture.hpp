// One simulated cluster plus one kmetrics for a whole test binary (startup costs ~20 s), on free
// ports in a temp dir, all on 127.0.0.0/8. Logs are dumped and the dir kept when a test failed.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "https_client.hpp"
#include "process_runner.hpp"
#include "truth.hpp"

namespace kmetrics::e2e {

struct ClusterOptions {
  int nodes = 6;
  int pods_per_node = 5;  // namespaces default/kube-system/team-a; every 5th pod has 2 containers
  std::string metric_resolution = "15s";
  std::vector<std::string> extra_kmetrics_args;
};

class E2ECluster {
 public:
  explicit E2ECluster(ClusterOptions opts);
  ~E2ECluster();

  // Throws std::runtime_error (with log tails) when the sim or kmetrics does not become ready.
  void start();
  void stop();
  std::string stopKmetrics();  // SIGTERM (SIGKILL after 10 s); returns "exit 0", "signal ...", ...
  void dumpLogs() const;  // to stderr
  bool keepDir = false;   // set when a test failed: the temp dir stays for inspection

  bool kmetricsAlive();
  std::string kmetricsExit() const { return kmetrics_.exitDescription(); }
  std::string kmetricsLogTail() const;

  const std::string& dir() const { return dir_; }
  std::string kubeconfig(const std::string& user) const { return sim_dir_ + "/" + user + ".kubeconfig"; }
  int kmetricsPort() const { return kmetrics_port_; }
  int apiserverPort() const { return apiserver_port_; }

  // Requests to the apiserver as admin (client cert), e.g. the /sim/ control API.
  HttpResponse apiserver(const std::string& method, const std::string& path,
                         const std::map<std::string, std::string>& headers = {}) const;
  // The same as another client-certificate user (viewer, nobody).
  HttpResponse apiserverAs(const std::string& user, const std::string& method, const std::string& path,
                           const std::map<std::string, std::string>& headers = {}) const;
  Truth truth() const;  // throws when /sim/truth fails
  // POST /sim/... and throw unless 2xx.
  void simPost(const std::string& path) const;
  void simDelete(const std::string& path) const;
  // kmetrics itself, without credentials (health paths).
  HttpResponse kmetrics(const std::string& path) const;

 private:
  ClusterOptions opts_;
  std::string dir_, sim_dir_;
  int kmetrics_port_ = 0, kubelet_port_ = 0, apiserver_port_ = 0;
  BackgroundProcess sim_, kmetrics_;
};

// Polls `pred` every `interval` until it returns true or `timeout` passes; returns the last result.
bool waitUntil(const std::function<bool()>& pred, std::chrono::seconds timeout,
               std::chrono::milliseconds interval = std::chrono::milliseconds(1000));

int freePort();
std::string kmetricsBinary();
std::string simBinary();

// The binary-wide cluster, created by installCluster() from main/Environment.
E2ECluster& cluster();
// Registers a GoogleTest Environment that starts the cluster before the first test and stops it
// after the last one (dumping logs when anything failed).
void installClusterEnvironment(ClusterOptions opts);

}  // namespace kmetrics::e2e
