// RestConfig loading: kubeconfig (inline data and files, errors), in-cluster, kubelet profile.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "cluster/file_util.hpp"
#include "cluster/in_cluster.hpp"
#include "cluster/kubeconfig.hpp"
#include "cluster/kubelet_profile.hpp"

namespace kmetrics::cluster {
namespace {

namespace fs = std::filesystem;

std::string b64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (in.size() - i == 1) {
    unsigned v = (unsigned char)in[i] << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (in.size() - i == 2) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kmetrics-cfg-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& content) {
    auto p = (dir_ / name).string();
    std::ofstream(p, std::ios::trunc) << content;
    return p;
  }
  std::string expect_error(const std::string& yaml) {
    auto path = write("config", yaml);
    try {
      load_kubeconfig(path);
    } catch (const ConfigLoadError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error for:\n" << yaml;
    return {};
  }
  fs::path dir_;
};

const char* kInline = R"(apiVersion: v1
kind: Config
current-context: kind
clusters:
- name: other
  cluster: {server: "https://other:1"}
- name: kind-cluster
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority-data: %CA%
contexts:
- name: kind
  context: {cluster: kind-cluster, user: admin, namespace: team-a}
users:
- name: admin
  user:
    client-certificate-data: %CERT%
    client-key-data: %KEY%
)";

std::string fill(std::string s, const std::map<std::string, std::string>& m) {
  for (const auto& [k, v] : m) {
    auto pos = s.find(k);
    if (pos != std::string::npos) s.replace(pos, k.size(), v);
  }
  return s;
}

TEST_F(ConfigTest, InlineDataKubeconfig) {
  auto path = write("config", fill(kInline, {{"%CA%", b64("CA PEM\n")}, {"%CERT%", b64("CERT PEM")}, {"%KEY%", b64("KEY PEM")}}));
  RestConfig rc = load_kubeconfig(path);
  EXPECT_EQ(rc.server, "https://127.0.0.1:6443");
  EXPECT_EQ(rc.tls.ca_pem, "CA PEM\n");
  EXPECT_EQ(rc.tls.client_cert_pem, "CERT PEM");
  EXPECT_EQ(rc.tls.client_key_pem, "KEY PEM");
  EXPECT_FALSE(rc.tls.insecure_skip_verify);
  EXPECT_FALSE(rc.tls.use_system_cas);
  EXPECT_EQ(rc.token, nullptr);
  EXPECT_EQ(rc.default_namespace, "team-a");
  EXPECT_EQ(rc.source, "kubeconfig " + path + " (context kind)");
}

TEST_F(ConfigTest, FilesRelativeToKubeconfigAndTokenFile) {
  write("ca.crt", "CA FROM FILE");
  fs::create_directories(dir_ / "pki");
  write("pki/client.crt", "CERT FROM FILE");
  write("pki/client.key", "KEY FROM FILE");
  write("token", "file-token\n");
  auto path = write("config", R"(
current-context: c
clusters: [{name: cl, cluster: {server: "https://api:6443", certificate-authority: ca.crt}}]
contexts: [{name: c, context: {cluster: cl, user: u}}]
users: [{name: u, user: {client-certificate: pki/client.crt, client-key: pki/client.key, tokenFile: token}}]
)");
  RestConfig rc = load_kubeconfig(path);
  EXPECT_EQ(rc.tls.ca_pem, "CA FROM FILE");
  EXPECT_EQ(rc.tls.client_cert_pem, "CERT FROM FILE");
  EXPECT_EQ(rc.tls.client_key_pem, "KEY FROM FILE");
  ASSERT_NE(rc.token, nullptr);
  EXPECT_EQ(rc.token->token(), "file-token");
  EXPECT_EQ(rc.token->path(), (dir_ / "token").string());
}

TEST_F(ConfigTest, TokenInsecureAndExplicitContext) {
  auto path = write("config", R"(
current-context: a
clusters:
- {name: ca, cluster: {server: "https://a:1"}}
- {name: cb, cluster: {server: "https://b:2", insecure-skip-tls-verify: true}}
contexts:
- {name: a, context: {cluster: ca, user: ua}}
- {name: b, context: {cluster: cb, user: ub}}
users:
- {name: ua, user: {token: aaa}}
- {name: ub, user: {token: bbb, tokenFile: /ignored/when/token/set}}
)");
  RestConfig a = load_kubeconfig(path);
  EXPECT_EQ(a.server, "https://a:1");
  EXPECT_TRUE(a.tls.use_system_cas);  // no CA given: system roots, as client-go
  EXPECT_EQ(a.token->token(), "aaa");
  KubeconfigOptions o;
  o.context = "b";
  RestConfig b = load_kubeconfig(path, o);
  EXPECT_EQ(b.server, "https://b:2");
  EXPECT_TRUE(b.tls.insecure_skip_verify);
  EXPECT_EQ(b.token->token(), "bbb");
}

TEST_F(ConfigTest, PreciseErrors) {
  std::string p = (dir_ / "config").string();
  EXPECT_EQ(expect_error("a: [b"), "kubeconfig " + p + ": invalid YAML at line 1: end of sequence flow not found");
  EXPECT_EQ(expect_error("- 1"), "kubeconfig " + p + ": not a kubeconfig (expected a map at the top level)");
  EXPECT_EQ(expect_error("clusters: []"), "kubeconfig " + p + ": current-context: not set and no context was given");
  EXPECT_EQ(expect_error("current-context: x\ncontexts: []"), "kubeconfig " + p + ": contexts: no entry named \"x\"");
  EXPECT_EQ(expect_error(R"(
current-context: c
contexts: [{name: c, context: {cluster: cl, user: u}}]
clusters: [{name: cl, cluster: {server: "https://x", certificate-authority-data: "!!notbase64"}}]
)"),
            "kubeconfig " + p + ": clusters[0] \"cl\".certificate-authority-data: invalid base64");
  EXPECT_EQ(expect_error(R"(
current-context: c
contexts: [{name: c, context: {cluster: cl, user: u}}]
clusters: [{name: cl, cluster: {server: "https://x", certificate-authority: /no/such/ca.crt}}]
)"),
            "kubeconfig " + p + ": clusters[0] \"cl\".certificate-authority: file /no/such/ca.crt: No such file or directory");
  EXPECT_EQ(expect_error(R"(
current-context: c
contexts: [{name: c, context: {cluster: cl, user: u}}]
clusters: [{name: cl, cluster: {server: "x:443"}}]
)"),
            "kubeconfig " + p + ": clusters[0] \"cl\".server: \"x:443\" must start with https:// or http://");
  EXPECT_EQ(expect_error(R"(
current-context: c
contexts: [{name: c, context: {cluster: cl, user: u}}]
clusters: [{name: cl, cluster: {server: "https://x"}}]
users: [{name: u, user: {exec: {command: aws}}}]
)"),
            "kubeconfig " + p + ": users[0] \"u\".exec: exec credential plugins are not supported");
  EXPECT_EQ(expect_error(R"(
current-context: c
contexts: [{name: c, context: {cluster: cl, user: u}}]
clusters: [{name: cl, cluster: {server: "https://x"}}]
users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]
)"),
            "kubeconfig " + p + ": users[0] \"u\": client-certificate without client-key");
  EXPECT_EQ(expect_error(R"(
current-context: c
contexts: [{name: c, context: {cluster: cl, user: u}}]
clusters: [{name: cl, cluster: {server: "https://x"}}]
users: [{name: u, user: {tokenFile: /no/token}}]
)"),
            "kubeconfig " + p + ": users[0] \"u\".tokenFile: token file /no/token: No such file or directory");
  try {
    load_kubeconfig("/no/such/kubeconfig");
    FAIL();
  } catch (const ConfigLoadError& e) {
    EXPECT_EQ(std::string(e.what()), "kubeconfig /no/such/kubeconfig: No such file or directory");
  }
}

TEST_F(ConfigTest, InCluster) {
  write("token", "sa-token\n");
  write("ca.crt", "CLUSTER CA");
  write("namespace", "kube-system");
  std::map<std::string, std::string> env = {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}};
  InClusterOptions o;
  o.root = dir_.string();
  o.getenv = [&](const char* k) -> const char* {
    auto it = env.find(k);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  o.token_recheck = std::chrono::milliseconds(0);
  RestConfig rc = load_in_cluster(o);
  EXPECT_EQ(rc.server, "https://10.96.0.1:443");
  EXPECT_EQ(rc.tls.ca_pem, "CLUSTER CA");
  EXPECT_EQ(rc.default_namespace, "kube-system");
  EXPECT_EQ(rc.token->token(), "sa-token");
  write("token", "rotated-token-longer");  // rotation is picked up
  EXPECT_EQ(rc.token->token(), "rotated-token-longer");

  env["KUBERNETES_SERVICE_HOST"] = "fd00::1";
  EXPECT_EQ(load_in_cluster(o).server, "https://[fd00::1]:443");

  env.erase("KUBERNETES_SERVICE_PORT");
  EXPECT_THROW(load_in_cluster(o), ConfigLoadError);
  env["KUBERNETES_SERVICE_PORT"] = "443";
  fs::remove(dir_ / "ca.crt");
  try {
    load_in_cluster(o);
    FAIL();
  } catch (const ConfigLoadError& e) {
    EXPECT_EQ(std::string(e.what()), "in-cluster CA file " + (dir_ / "ca.crt").string() + ": No such file or directory");
  }
}

TEST_F(ConfigTest, KubeletProfileFollowsMetricsServer) {
  RestConfig rc;
  rc.server = "https://api:6443";
  rc.tls.ca_pem = "CLUSTER CA";
  rc.tls.client_cert_pem = "C";
  rc.tls.client_key_pem = "K";
  rc.token = http::TokenSource::fixed("tok");
  rc.source = "test";

  auto def = kubelet_profile(rc, {});
  EXPECT_EQ(def.tls.ca_pem, "CLUSTER CA");
  EXPECT_EQ(def.tls.client_cert_pem, "C");
  EXPECT_EQ(def.token->token(), "tok");
  EXPECT_FALSE(def.force_plain_http);

  KubeletClientFlags insecure;
  insecure.insecure_tls = true;
  auto ins = kubelet_profile(rc, insecure);
  EXPECT_TRUE(ins.tls.insecure_skip_verify);
  EXPECT_TRUE(ins.tls.ca_pem.empty());
  EXPECT_EQ(ins.token->token(), "tok");

  KubeletClientFlags ca;
  ca.certificate_authority = write("kubelet-ca.crt", "KUBELET CA");
  ca.client_certificate = write("k.crt", "KC");
  ca.client_key = write("k.key", "KK");
  auto withca = kubelet_profile(rc, ca);
  EXPECT_EQ(withca.tls.ca_pem, "KUBELET CA");
  EXPECT_EQ(withca.tls.client_cert_pem, "KC");
  EXPECT_EQ(withca.tls.client_key_pem, "KK");

  KubeletClientFlags plain;
  plain.completely_insecure = true;
  auto pl = kubelet_profile(rc, plain);
  EXPECT_TRUE(pl.force_plain_http);
  EXPECT_EQ(pl.token, nullptr);
  EXPECT_TRUE(pl.tls.client_cert_pem.empty());

  KubeletClientFlags half;
  half.client_key = "x";
  EXPECT_THROW(kubelet_profile(rc, half), ConfigLoadError);
  KubeletClientFlags missing;
  missing.certificate_authority = "/no/ca";
  try {
    kubelet_profile(rc, missing);
    FAIL();
  } catch (const ConfigLoadError& e) {
    EXPECT_EQ(std::string(e.what()), "--kubelet-certificate-authority /no/ca: No such file or directory");
  }
}

TEST(Base64Test, StrictDecoding) {
  EXPECT_EQ(detail::base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(detail::base64_decode("aGVs\nbG8h"), "hello!");
  EXPECT_FALSE(detail::base64_decode("aGVsbG8"));
  EXPECT_FALSE(detail::base64_decode("aGV$bG8="));
  EXPECT_FALSE(detail::base64_decode("aG=sbG8="));
}

}  // namespace
}  // namespace kmetrics::cluster
