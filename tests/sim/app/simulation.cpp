#include "app/simulation.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "apiserver/auth.hpp"
#include "app/kubeconfig.hpp"
#if KMETRICS_SIM_HAVE_KUBELETS
#include "kubelet/kubelet_fleet.hpp"
#endif

namespace kmetrics::sim {
namespace {

UnixNanos now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

CertSpec clientSpec(const std::string& cn, std::vector<std::string> orgs = {}) {
  CertSpec s;
  s.common_name = cn;
  s.organizations = std::move(orgs);
  s.server_auth = false;
  s.client_auth = true;
  return s;
}

CertSpec serverSpec(const std::string& cn, std::vector<std::string> dns) {
  CertSpec s;
  s.common_name = cn;
  s.dns_sans = std::move(dns);
  s.ip_sans = {"127.0.0.1"};
  return s;
}

UserInfo user(const std::string& name, std::vector<std::string> groups) {
  UserInfo u;
  u.name = name;
  u.uid = "uid-" + name;
  u.groups = std::move(groups);
  return u;
}

}  // namespace

Simulation::Simulation(SimOptions options) : options_(std::move(options)) {
  if (options_.dir.empty()) throw std::invalid_argument("SimOptions.dir is required");
}

Simulation::~Simulation() { stop(); }

std::string Simulation::path(const std::string& file) const { return options_.dir + "/" + file; }
std::string Simulation::simJsonPath() const { return path("sim.json"); }

void Simulation::start() {
  if (started_) return;
  std::filesystem::create_directories(options_.dir);
  cluster_ca_ = std::make_unique<CertificateAuthority>(CertificateAuthority::create("kmetrics-sim-ca"));
  front_proxy_ca_ = std::make_unique<CertificateAuthority>(CertificateAuthority::create("kmetrics-sim-front-proxy-ca"));
  kubelet_ca_ = std::make_unique<CertificateAuthority>(CertificateAuthority::create("kmetrics-sim-kubelet-ca"));

  const UnixNanos t = now();
  state_ = std::make_unique<ClusterState>(t);
  ClusterSpec spec;
  spec.nodes = options_.nodes;
  spec.pods_per_node = options_.pods_per_node;
  spec.kubelet_port = options_.kubelet_port;
  state_->populate(spec, t);

  leaves_["apiserver"] = cluster_ca_->issue(
      serverSpec("kube-apiserver", {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"}));
  leaves_["front-proxy-client"] = front_proxy_ca_->issue(clientSpec("aggregator"));
  leaves_["admin"] = cluster_ca_->issue(clientSpec("admin", {"system:masters"}));
  leaves_["viewer"] = cluster_ca_->issue(clientSpec("viewer"));
  leaves_["nobody"] = cluster_ca_->issue(clientSpec("nobody"));
  leaves_["kmetrics-serving"] = cluster_ca_->issue(
      serverSpec("kmetrics", {"localhost", "kmetrics.kube-system.svc", "metrics-server.kube-system.svc"}));
  leaves_["kmetrics-kubelet-client"] = cluster_ca_->issue(clientSpec("kmetrics"));

  ApiServerConfig cfg;
  cfg.port = options_.apiserver_port;
  cfg.serving = leaves_.at("apiserver");
  cfg.client_ca_pem = cluster_ca_->certPem();
  cfg.front_proxy_ca_pem = front_proxy_ca_->certPem();
  cfg.front_proxy_client = leaves_.at("front-proxy-client");
  cfg.metrics_backend = options_.metrics_backend;
  cfg.heapster_backend = options_.heapster_backend;
  cfg.probe_interval_ms = options_.probe_interval_ms;
  cfg.log_requests = options_.log_requests;
  apiserver_ = std::make_unique<ApiServer>(*state_, cfg);
  auto& authn = apiserver_->authenticator();
  authn.addToken(kKmetricsToken, serviceAccountUser("kube-system", "kmetrics"));
  authn.addToken(kViewerToken, user("viewer", {}));
  authn.addToken(kNobodyToken, user("nobody", {}));
  authn.addToken(kAdminToken, user("admin", {"system:masters"}));
  apiserver_->start();

#if KMETRICS_SIM_HAVE_KUBELETS
  if (options_.kubelets) {
    FleetOptions fo;
    fo.accepted_token = kKmetricsToken;
    fo.forbidden_token = kNobodyToken;
    fo.client_ca_pem = cluster_ca_->certPem();
    fo.threads = options_.kubelet_threads;
    kubelets_ = std::make_unique<KubeletFleet>(*state_, *kubelet_ca_, fo);
    kubelets_->start();
  }
#endif
  started_ = true;
  writeFiles();  // after binding: sim.json carries the real port
}

void Simulation::stop() {
  if (!started_) return;
  started_ = false;
#if KMETRICS_SIM_HAVE_KUBELETS
  if (kubelets_) kubelets_->stop();
#endif
  if (apiserver_) apiserver_->stop();
}

void Simulation::writeFiles() {
  const std::string server = "https://127.0.0.1:" + std::to_string(apiserver_->port());
  writeFile(path("ca.crt"), cluster_ca_->certPem());
  writeFile(path("ca.key"), cluster_ca_->keyPem(), true);
  writeFile(path("front-proxy-ca.crt"), front_proxy_ca_->certPem());
  writeFile(path("front-proxy-ca.key"), front_proxy_ca_->keyPem(), true);
  writeFile(path("kubelet-ca.crt"), kubelet_ca_->certPem());
  writeFile(path("kubelet-ca.key"), kubelet_ca_->keyPem(), true);
  for (const auto& [base, kp] : leaves_) {
    writeFile(path(base + ".crt"), kp.cert_pem);
    writeFile(path(base + ".key"), kp.key_pem, true);
  }
  writeFile(path("kmetrics.token"), kKmetricsToken, true);
  for (const char* who : {"admin", "viewer", "nobody"}) {
    const KeyPair& kp = leaves_.at(who);
    KubeconfigSpec k{server, cluster_ca_->certPem(), who, kp.cert_pem, kp.key_pem, "", "default"};
    writeFile(path(std::string(who) + ".kubeconfig"), renderKubeconfig(k), true);
  }
  writeFile(path("kmetrics.kubeconfig"),
            renderKubeconfig(KubeconfigSpec{server, cluster_ca_->certPem(), "kmetrics", "", "", kKmetricsToken, "kube-system"}),
            true);

  using J = nlohmann::ordered_json;
  J kubelets = J::array();
  for (const auto& n : state_->nodes()) {
    kubelets.push_back({{"node", n.name}, {"address", n.internal_ip}, {"port", n.kubelet_port},
                        {"url", "https://" + n.internal_ip + ":" + std::to_string(n.kubelet_port)}});
  }
  J kubectl = J::object();
  for (int minor = 27; minor <= 33; ++minor) {
    const std::string bin = "/usr/lib/google-cloud-sdk/bin/kubectl.1." + std::to_string(minor);
    if (std::filesystem::exists(bin)) kubectl["1." + std::to_string(minor)] = bin;
  }
  J sim{
      {"pid", static_cast<int>(getpid())},
      {"dir", options_.dir},
      {"apiserver", {{"url", server}, {"port", apiserver_->port()}, {"ca_file", path("ca.crt")}, {"version", "v1.33.1"}}},
      {"kubeconfigs", {{"admin", path("admin.kubeconfig")}, {"viewer", path("viewer.kubeconfig")},
                       {"nobody", path("nobody.kubeconfig")}, {"kmetrics", path("kmetrics.kubeconfig")}}},
      {"users",
       {{"admin", {{"user", "admin"}, {"groups", {"system:masters"}}, {"token", kAdminToken}, {"cert", path("admin.crt")}, {"key", path("admin.key")}}},
        {"viewer", {{"user", "viewer"}, {"token", kViewerToken}, {"cert", path("viewer.crt")}, {"key", path("viewer.key")}}},
        {"nobody", {{"user", "nobody"}, {"token", kNobodyToken}, {"cert", path("nobody.crt")}, {"key", path("nobody.key")}}},
        {"kmetrics", {{"user", "system:serviceaccount:kube-system:kmetrics"}, {"token", kKmetricsToken},
                      {"token_file", path("kmetrics.token")}}}}},
      {"ca", {{"cluster", path("ca.crt")}, {"front_proxy", path("front-proxy-ca.crt")}, {"kubelet", path("kubelet-ca.crt")}}},
      {"certs",
       {{"apiserver", {{"cert", path("apiserver.crt")}, {"key", path("apiserver.key")}}},
        {"front_proxy_client", {{"cert", path("front-proxy-client.crt")}, {"key", path("front-proxy-client.key")}, {"cn", "aggregator"}}},
        {"kmetrics_serving", {{"cert", path("kmetrics-serving.crt")}, {"key", path("kmetrics-serving.key")}}},
        {"kmetrics_kubelet_client", {{"cert", path("kmetrics-kubelet-client.crt")}, {"key", path("kmetrics-kubelet-client.key")}}}}},
      {"aggregator",
       {{"apiservice", "v1beta1.metrics.k8s.io"},
        {"backend", options_.metrics_backend},
        {"insecure_skip_tls_verify", true},
        {"probe_path", "/apis/metrics.k8s.io/v1beta1"},
        {"probe_interval_ms", options_.probe_interval_ms},
        {"requestheader_allowed_names", {"aggregator"}},
        {"requestheader_client_ca_file", path("front-proxy-ca.crt")}}},
      {"heapster_backend", options_.heapster_backend},
      {"kubelets", kubelets},
      {"kubelet_auth", {{"accepted_token", kKmetricsToken}, {"forbidden_token", kNobodyToken},
                        {"client_ca", path("ca.crt")}}},
      {"control", {{"truth", server + "/sim/truth"}, {"base", server + "/sim/"}}},
      {"kubectl", kubectl}};
  writeFile(path("sim.json.tmp"), sim.dump(2) + "\n");
  std::filesystem::rename(path("sim.json.tmp"), path("sim.json"));  // readers never see a half file
}

}  // namespace kmetrics::sim
