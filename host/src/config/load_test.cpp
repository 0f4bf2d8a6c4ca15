// End to end: file + flags → HostConfig; shipped configs; default plugins; `kmetrics validate`.
#include "config/load.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/plugin_instances.hpp"

namespace kmetrics::config {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Args = std::vector<std::string>;

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    static int counter = 0;
    path_ = (fs::temp_directory_path() / ("kmetrics_config_test_" + std::to_string(::getpid()) + "_" +
                                          std::to_string(counter++) + ".yaml")).string();
    std::ofstream(path_) << text;
  }
  ~TempFile() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Validate, ThreeMistakesAreAllReportedWithPaths) {
  TempFile f(R"(host:
  secure_serving:
    bind_adress: 0.0.0.0
    secure_port: 70000
kubelet:
  insecure_tls: "yes"
)");
  ConfigErrors errs = validate_command(Args{"--config", f.path()});
  ASSERT_EQ(errs.size(), 3u) << format_errors(errs);
  EXPECT_EQ(errs[0].path, "host.secure_serving.bind_adress");  // unknown key
  EXPECT_EQ(errs[0].location.line, 3);
  EXPECT_EQ(errs[1].path, "kubelet.insecure_tls");  // wrong type
  EXPECT_EQ(errs[1].location.line, 6);
  EXPECT_EQ(errs[1].message, "expected a boolean (true or false), got a string (\"yes\")");
  EXPECT_EQ(errs[2].path, "host.secure_serving.secure_port");  // invalid value
  EXPECT_EQ(errs[2].location.line, 4);
  // One line per error, file:line:col first.
  std::string text = format_errors(errs);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_NE(text.find(f.path() + ":4:18: host.secure_serving.secure_port: --secure-port 70000 must be between 0 and 65535"),
            std::string::npos)
      << text;
}

TEST(Validate, ResolutionErrorsPointAtTheFile) {
  TempFile f("host:\n  metric_resolution: 5s\n");
  ConfigErrors errs = validate_command(Args{"--config", f.path()});
  ASSERT_EQ(errs.size(), 2u) << format_errors(errs);  // < 10s, and 4.5s < the 10s kubelet timeout
  EXPECT_EQ(errs[0].to_string(), f.path() + ":2:22: host.metric_resolution: metric-resolution should be a time duration "
                                            "at least 10s, but value 5s provided");
  EXPECT_EQ(errs[1].message, "metric-resolution should be larger than kubelet-request-timeout");
}

TEST(Validate, ValidFileGivesNoErrors) {
  TempFile f("host:\n  metric_resolution: 15s\n");
  EXPECT_TRUE(validate_command(Args{"--config=" + f.path()}).empty());
}

TEST(Validate, MissingFile) {
  auto errs = validate_command(Args{"--config=/nonexistent/kmetrics.yaml"});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "/nonexistent/kmetrics.yaml: cannot read config file \"/nonexistent/kmetrics.yaml\"");
}

TEST(Load, FlagsOverrideTheFile) {
  TempFile f("host:\n  metric_resolution: 30s\n  secure_serving: {secure_port: 4443}\nkubelet:\n  insecure_tls: false\n");
  auto r = load_config(Args{"--config", f.path(), "--metric-resolution=15s", "--kubelet-insecure-tls"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  EXPECT_EQ(r.config.host.metric_resolution, 15s);
  EXPECT_EQ(r.config.host.secure_serving.secure_port, 4443);
  EXPECT_TRUE(r.config.kubelet.insecure_tls);
  EXPECT_EQ(r.config_file, f.path());
}

TEST(Load, FileAndFlagErrorsTogether) {
  TempFile f("host:\n  metric_resolution: 1x\n");
  auto r = load_config(Args{"--config", f.path(), "--nope"});
  ASSERT_EQ(r.errors.size(), 2u) << format_errors(r.errors);
}

TEST(Load, ValidationErrorPointsAtTheFileLine) {
  TempFile f("kubelet:\n  certificate_authority: /ca.pem\n  insecure_tls: true\n");
  auto r = load_config(Args{"--config", f.path()});
  ASSERT_EQ(r.errors.size(), 1u) << format_errors(r.errors);
  EXPECT_EQ(r.errors[0].path, "kubelet.insecure_tls");
  EXPECT_EQ(r.errors[0].location.line, 3);
  EXPECT_EQ(r.errors[0].message, "cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls");
}

TEST(PluginDefaults, KubeletSourceAndMetricsApiSink) {
  auto r = load_config(Args{"--kubelet-insecure-tls", "--kubelet-use-node-status-port",
                            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  ASSERT_EQ(r.config.sources.size(), 1u);
  const auto& src = r.config.sources[0];
  EXPECT_EQ(src.type, "kubelet");
  EXPECT_EQ(src.name, "kubelet");
  EXPECT_TRUE(src.implicit);
  EXPECT_EQ(src.config_json(),
            R"({"certificate_authority":"","client_certificate":"","client_key":"","completely_insecure":false,)"
            R"("endpoint":"auto","insecure_tls":true,"port":10250,"preferred_address_types":["InternalIP","ExternalIP",)"
            R"("Hostname"],"request_timeout":"10s","use_node_status_port":true})");
  ASSERT_EQ(r.config.sinks.size(), 1u);
  EXPECT_EQ(r.config.sinks[0].type, "metrics_api");
  EXPECT_EQ(r.config.sinks[0].name, "metrics-api");
  EXPECT_EQ(r.config.sinks[0].config_json(), "{}");
}

TEST(PluginDefaults, HeapsterPortAddsASink) {
  auto r = load_config(Args{"--heapster-port=8082"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  ASSERT_EQ(r.config.sinks.size(), 2u);
  EXPECT_EQ(r.config.sinks[0].type, "metrics_api");
  EXPECT_EQ(r.config.sinks[1].type, "heapster_api");
  EXPECT_EQ(r.config.sinks[1].name, "heapster-api");
  EXPECT_EQ(r.config.sinks[1].config_json(), R"({"port":8082})");
  // Off by default.
  EXPECT_EQ(load_config(Args{}).config.sinks.size(), 1u);
}

TEST(PluginDefaults, HeapsterFlagSetsPortOfConfiguredSink) {
  TempFile f("sinks:\n  - type: heapster_api\n    config: {port: 9000, pretty: true}\n");
  auto r = load_config(Args{"--config", f.path(), "--heapster-port=8082"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  ASSERT_EQ(r.config.sinks.size(), 1u);  // configured sinks are not joined by metrics_api
  EXPECT_EQ(r.config.sinks[0].name, "heapster-api");
  EXPECT_EQ(r.config.sinks[0].config_json(), R"({"port":8082,"pretty":true})");
  auto without_flag = load_config(Args{"--config", f.path()});
  EXPECT_EQ(without_flag.config.sinks[0].config_json(), R"({"port":9000,"pretty":true})");
}

TEST(PluginDefaults, ExplicitKubeletSourceMergesSectionInstanceAndFlags) {
  TempFile f(R"(kubelet:
  port: 10255
  insecure_tls: false
sources:
  - type: kubelet
    name: primary
    priority: 5
    config: {port: 10250, endpoint: summary, request_timeout: 5s, summary_recheck_interval: 1m0s}
  - type: cadvisor
    config: {x: 1}
)");
  auto r = load_config(Args{"--config", f.path(), "--kubelet-insecure-tls", "--kubelet-request-timeout=8s"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  ASSERT_EQ(r.config.sources.size(), 2u);
  const auto& k = r.config.sources[0].config;
  EXPECT_EQ(k["port"], 10250);                    // instance over section
  EXPECT_EQ(k["endpoint"], "summary");            // instance over section default
  EXPECT_EQ(k["insecure_tls"], true);             // flag over both
  EXPECT_EQ(k["request_timeout"], "8s");          // flag over instance
  EXPECT_EQ(k["summary_recheck_interval"], "1m0s");  // plugin-only keys pass through
  EXPECT_EQ(k["preferred_address_types"].size(), 5u);
  EXPECT_EQ(r.config.sources[0].priority, 5);
  EXPECT_EQ(r.config.sources[1].name, "cadvisor");
  EXPECT_EQ(r.config.sources[1].config_json(), R"({"x":1})");  // other types untouched
  EXPECT_EQ(r.config.sinks.size(), 1u);
}

TEST(PluginDefaults, ExplicitKubeletSourceGetsMetricsServerRules) {
  TempFile f(R"(host:
  metric_resolution: 15s
sources:
  - type: kubelet
    config: {insecure_tls: true, certificate_authority: /ca.pem, request_timeout: 15s}
)");
  auto r = load_config(Args{"--config", f.path()});
  std::string text = format_errors(r.errors);
  ASSERT_EQ(r.errors.size(), 2u) << text;
  EXPECT_EQ(r.errors[0].path, "sources[0].config.insecure_tls");
  EXPECT_EQ(r.errors[1].path, "sources[0].config.request_timeout");
  EXPECT_EQ(r.errors[1].location.line, 4);
}

TEST(PluginDefaults, InstanceNamesAreUnique) {
  TempFile f("sinks:\n  - type: metrics_api\n  - type: metrics_api\n  - {type: Bad-Type, name: x}\n");
  auto r = load_config(Args{"--config", f.path()});
  std::string text = format_errors(r.errors);
  ASSERT_EQ(r.errors.size(), 2u) << text;
  EXPECT_EQ(r.errors[0].path, "sinks[1].name");
  EXPECT_NE(r.errors[0].message.find("duplicate sink name \"metrics-api\""), std::string::npos);
  EXPECT_EQ(r.errors[1].path, "sinks[2].type");
}

TEST(Shipped, EveryConfigFileLoadsWithoutErrors) {
  const fs::path dir = KMETRICS_CONFIG_DIR;
  std::vector<fs::path> files{dir / "kmetrics.yaml"};
  for (const auto& e : fs::directory_iterator(dir / "examples")) {
    if (e.path().extension() == ".yaml" || e.path().extension() == ".json") files.push_back(e.path());
  }
  ASSERT_GE(files.size(), 5u);
  for (const auto& p : files) {
    auto r = load_config(Args{"--config", p.string()});
    EXPECT_TRUE(r.ok()) << p << "\n" << format_errors(r.errors);
  }
}

// kmetrics.yaml documents every field with its default: uncommented, it must be valid and change nothing.
TEST(Shipped, DefaultFileUncommentedEqualsBuiltInDefaults) {
  std::istringstream in(read(fs::path(KMETRICS_CONFIG_DIR) / "kmetrics.yaml"));
  std::string line, uncommented;
  while (std::getline(in, line)) uncommented += (line.rfind("# ", 0) == 0 ? line.substr(2) : line) + "\n";
  TempFile f(uncommented);
  auto r = load_config(Args{"--config", f.path()});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors) << uncommented;
  auto d = load_config(Args{});
  EXPECT_EQ(r.provenance.get("host.secure_serving.bind_address").kind, Origin::Kind::file);
  EXPECT_EQ(r.provenance.get("kubelet.endpoint").kind, Origin::Kind::file);
  const auto& a = r.config;
  const auto& b = d.config;
  EXPECT_EQ(a.host.secure_serving.bind_address, b.host.secure_serving.bind_address);
  EXPECT_EQ(a.host.secure_serving.secure_port, b.host.secure_serving.secure_port);
  EXPECT_EQ(a.host.secure_serving.cert_dir, b.host.secure_serving.cert_dir);
  EXPECT_EQ(a.host.secure_serving.max_requests_inflight, b.host.secure_serving.max_requests_inflight);
  EXPECT_EQ(a.host.secure_serving.request_timeout, b.host.secure_serving.request_timeout);
  EXPECT_EQ(a.host.authentication.token_webhook_cache_ttl, b.host.authentication.token_webhook_cache_ttl);
  EXPECT_EQ(a.host.authentication.requestheader.username_headers, b.host.authentication.requestheader.username_headers);
  EXPECT_EQ(a.host.authentication.requestheader.group_headers, b.host.authentication.requestheader.group_headers);
  EXPECT_EQ(a.host.authentication.requestheader.extra_headers_prefix,
            b.host.authentication.requestheader.extra_headers_prefix);
  EXPECT_EQ(a.host.authorization.always_allow_paths, b.host.authorization.always_allow_paths);
  EXPECT_EQ(a.host.metric_resolution, b.host.metric_resolution);
  EXPECT_EQ(a.host.logging.format, b.host.logging.format);
  EXPECT_EQ(a.host.logging.flush_frequency, b.host.logging.flush_frequency);
  EXPECT_EQ(a.host.shutdown_deadline, b.host.shutdown_deadline);
  EXPECT_EQ(a.host.heapster_port, b.host.heapster_port);
  EXPECT_EQ(kubelet_source_config(a.kubelet), kubelet_source_config(b.kubelet));
  ASSERT_EQ(a.sources.size(), 1u);
  EXPECT_EQ(a.sources[0].config, b.sources[0].config);
  ASSERT_EQ(a.sinks.size(), 1u);
  EXPECT_EQ(a.sinks[0].name, b.sinks[0].name);
}

}  // namespace
}  // namespace kmetrics::config

#include "config/config_json.hpp"

namespace kmetrics::config {
namespace {

// Every field survives to_json → file → decode: proves the decoder reads each key to_json writes.
TEST(EffectiveConfig, RoundTripsThroughAFile) {
  auto r = load_config(Args{"--cert-dir=/tmp", "--secure-port=10250", "--bind-address=::1", "--tls-cert-file=/c",
                            "--tls-private-key-file=/k", "--tls-min-version=VersionTLS13",
                            "--tls-cipher-suites=TLS_AES_128_GCM_SHA256", "--max-requests-inflight=7",
                            "--request-timeout=30s", "--permit-port-sharing", "--permit-address-sharing",
                            "--authentication-kubeconfig=/a", "--authentication-skip-lookup",
                            "--authentication-tolerate-lookup-failure", "--authentication-token-webhook-cache-ttl=3s",
                            "--client-ca-file=/ca", "--requestheader-client-ca-file=/rca",
                            "--requestheader-allowed-names=aggregator", "--requestheader-uid-headers=X-Remote-Uid",
                            "--authorization-kubeconfig=/z", "--authorization-always-allow-paths=/metrics",
                            "--authorization-webhook-cache-authorized-ttl=1s",
                            "--authorization-webhook-cache-unauthorized-ttl=2s", "--kubeconfig=/k8s",
                            "--metric-resolution=15s", "-l", "a!=b", "--logging-format=json", "-v4",
                            "--log-flush-frequency=1s", "--plugin-dir=/p", "--shutdown-delay-duration=3s",
                            "--heapster-port=8082", "--kubelet-port=10255", "--kubelet-use-node-status-port",
                            "--kubelet-preferred-address-types=InternalIP", "--kubelet-insecure-tls",
                            "--kubelet-request-timeout=5s", "--kubelet-endpoint=summary"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  nlohmann::json first = to_json(r.config);
  TempFile f(first.dump(2));
  auto again = load_config(Args{"--config", f.path()});
  ASSERT_TRUE(again.ok()) << format_errors(again.errors);
  EXPECT_EQ(to_json(again.config), first);
  EXPECT_EQ(first["host"]["metric_resolution"], "15s");
  EXPECT_EQ(first["kubelet"]["endpoint"], "summary");
  EXPECT_EQ(first["sinks"].size(), 2u);
}

TEST(EffectiveConfig, DefaultsRoundTrip) {
  auto r = load_config(Args{});
  TempFile f(to_json(r.config).dump());
  auto again = load_config(Args{"--config", f.path()});
  ASSERT_TRUE(again.ok()) << format_errors(again.errors);
  EXPECT_EQ(to_json(again.config), to_json(r.config));
}

}  // namespace
}  // namespace kmetrics::config
