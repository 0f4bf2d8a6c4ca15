// The whole simulated cluster in one object: certificates, cluster state, apiserver (with the
// aggregator) and kubelets, plus the files a client needs (kubeconfigs, CAs, sim.json).
// Used by the kmetrics-sim executable and by in-process tests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "apiserver/apiserver.hpp"
#include "cluster/cluster_state.hpp"
#include "pki/pki.hpp"

namespace kmetrics::sim {

class KubeletFleet;

struct SimOptions {
  int nodes = 3;
  int pods_per_node = 5;
  std::string dir;                  // where certificates, kubeconfigs and sim.json go (created)
  uint16_t apiserver_port = 0;      // 0 = ephemeral
  uint16_t kubelet_port = 10250;    // every node's kubelet port (each node has its own 127.x address)
  std::string metrics_backend;      // https://127.0.0.1:PORT: registers v1beta1.metrics.k8s.io
  std::string heapster_backend;     // http://127.0.0.1:PORT: the heapster service proxy target
  bool kubelets = true;             // start the simulated kubelets
  int kubelet_threads = 1;
  int probe_interval_ms = 2000;
  bool log_requests = false;
};

class Simulation {
 public:
  explicit Simulation(SimOptions options);
  ~Simulation();  // stops
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Generates certificates, writes every file, starts apiserver and kubelets. Throws on failure.
  void start();
  void stop();  // idempotent

  const SimOptions& options() const { return options_; }
  std::string simJsonPath() const;
  std::string path(const std::string& file) const;  // <dir>/<file>
  ClusterState& state() { return *state_; }
  ApiServer& apiserver() { return *apiserver_; }
  const CertificateAuthority& clusterCa() const { return *cluster_ca_; }
  const CertificateAuthority& frontProxyCa() const { return *front_proxy_ca_; }
  const CertificateAuthority& kubeletCa() const { return *kubelet_ca_; }

  // Tokens in the sim's token table.
  static constexpr const char* kKmetricsToken = "kmetrics-token";
  static constexpr const char* kViewerToken = "viewer-token";
  static constexpr const char* kNobodyToken = "nobody-token";
  static constexpr const char* kAdminToken = "admin-token";

 private:
  void writeFiles();

  SimOptions options_;
  std::map<std::string, KeyPair> leaves_;  // file base name -> issued certificate
  std::unique_ptr<CertificateAuthority> cluster_ca_, front_proxy_ca_, kubelet_ca_;
  std::unique_ptr<ClusterState> state_;
  std::unique_ptr<ApiServer> apiserver_;
  std::unique_ptr<KubeletFleet> kubelets_;
  bool started_ = false;
};

}  // namespace kmetrics::sim
