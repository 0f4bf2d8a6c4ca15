// Strict decoding of config files: every field, unknown keys with paths, types, positions, malformed YAML.
#include "config/file_decoder.hpp"

#include <gtest/gtest.h>

#include "config/load.hpp"
#include "config/yaml_json.hpp"

namespace kmetrics::config {
namespace {

using namespace std::chrono_literals;

struct Decoded {
  HostConfig cfg;
  Provenance prov;
  ConfigErrors errors;
};

Decoded decode(const std::string& text) {
  Decoded d;
  decode_config_text(text, "test.yaml", d.cfg, d.prov, d.errors);
  return d;
}

TEST(FileDecoder, EveryField) {
  auto d = decode(R"(
host:
  secure_serving:
    bind_address: "::"
    secure_port: 10250
    cert_dir: /tmp
    tls_cert_file: /tls/tls.crt
    tls_private_key_file: /tls/tls.key
    tls_min_version: VersionTLS12
    tls_cipher_suites: [TLS_AES_128_GCM_SHA256]
    max_requests_inflight: 100
    request_timeout: 30s
    permit_address_sharing: true
    permit_port_sharing: true
  authentication:
    kubeconfig: /authn.kubeconfig
    skip_lookup: true
    tolerate_lookup_failure: true
    token_webhook_cache_ttl: 1m0s
    client_ca_file: /ca.pem
    requestheader:
      client_ca_file: /front-proxy-ca.pem
      allowed_names: [aggregator]
      username_headers: [X-Remote-User]
      group_headers: [X-Remote-Group]
      extra_headers_prefix: [X-Remote-Extra-]
      uid_headers: [X-Remote-Uid]
  authorization:
    kubeconfig: /authz.kubeconfig
    always_allow_paths: [/healthz, /readyz, /livez, /metrics]
    webhook_cache_authorized_ttl: 20s
    webhook_cache_unauthorized_ttl: 5s
  kubeconfig: /kubeconfig
  metric_resolution: 15s
  node_selector: metrics-server-skip!=true
  logging:
    format: json
    verbosity: 4
    flush_frequency: 1s
  plugin_dirs: [/opt/kmetrics/plugins]
  shutdown_delay: 5s
  shutdown_deadline: 40s
  heapster_port: 8082
kubelet:
  port: 10255
  use_node_status_port: true
  preferred_address_types: [InternalIP, ExternalIP, Hostname]
  insecure_tls: false
  certificate_authority: /ca.pem
  client_certificate: /client.pem
  client_key: /client-key.pem
  request_timeout: 5s
  completely_insecure: false
  endpoint: auto
sources:
  - type: kubelet
    name: kubelet
    priority: 10
sinks:
  - type: metrics_api
    name: metrics-api
    config: {}
)");
  ASSERT_TRUE(d.errors.empty()) << format_errors(d.errors);
  const auto& h = d.cfg.host;
  EXPECT_EQ(h.secure_serving.bind_address, "::");
  EXPECT_EQ(h.secure_serving.secure_port, 10250);
  EXPECT_EQ(h.secure_serving.cert_dir, "/tmp");
  EXPECT_EQ(h.secure_serving.tls_cert_file, "/tls/tls.crt");
  EXPECT_EQ(h.secure_serving.tls_private_key_file, "/tls/tls.key");
  EXPECT_EQ(h.secure_serving.tls_min_version, "VersionTLS12");
  EXPECT_EQ(h.secure_serving.tls_cipher_suites, std::vector<std::string>{"TLS_AES_128_GCM_SHA256"});
  EXPECT_EQ(h.secure_serving.max_requests_inflight, 100);
  EXPECT_EQ(h.secure_serving.request_timeout, 30s);
  EXPECT_TRUE(h.secure_serving.permit_address_sharing);
  EXPECT_TRUE(h.secure_serving.permit_port_sharing);
  EXPECT_EQ(h.authentication.kubeconfig, "/authn.kubeconfig");
  EXPECT_TRUE(h.authentication.skip_lookup);
  EXPECT_TRUE(h.authentication.tolerate_lookup_failure);
  EXPECT_EQ(h.authentication.token_webhook_cache_ttl, 60s);
  EXPECT_EQ(h.authentication.client_ca_file, "/ca.pem");
  EXPECT_EQ(h.authentication.requestheader.client_ca_file, "/front-proxy-ca.pem");
  EXPECT_EQ(h.authentication.requestheader.allowed_names, std::vector<std::string>{"aggregator"});
  EXPECT_EQ(h.authentication.requestheader.username_headers, std::vector<std::string>{"X-Remote-User"});
  EXPECT_EQ(h.authentication.requestheader.group_headers, std::vector<std::string>{"X-Remote-Group"});
  EXPECT_EQ(h.authentication.requestheader.extra_headers_prefix, std::vector<std::string>{"X-Remote-Extra-"});
  EXPECT_EQ(h.authentication.requestheader.uid_headers, std::vector<std::string>{"X-Remote-Uid"});
  EXPECT_EQ(h.authorization.kubeconfig, "/authz.kubeconfig");
  EXPECT_EQ(h.authorization.always_allow_paths.size(), 4u);
  EXPECT_EQ(h.authorization.webhook_cache_authorized_ttl, 20s);
  EXPECT_EQ(h.authorization.webhook_cache_unauthorized_ttl, 5s);
  EXPECT_EQ(h.kubeconfig, "/kubeconfig");
  EXPECT_EQ(h.metric_resolution, 15s);
  EXPECT_EQ(h.node_selector, "metrics-server-skip!=true");
  EXPECT_EQ(h.logging.format, "json");
  EXPECT_EQ(h.logging.verbosity, 4);
  EXPECT_EQ(h.logging.flush_frequency, 1s);
  EXPECT_EQ(h.plugin_dirs, std::vector<std::string>{"/opt/kmetrics/plugins"});
  EXPECT_EQ(h.shutdown_delay, 5s);
  EXPECT_EQ(h.shutdown_deadline, 40s);
  EXPECT_EQ(h.heapster_port, 8082);
  const auto& k = d.cfg.kubelet;
  EXPECT_EQ(k.port, 10255);
  EXPECT_TRUE(k.use_node_status_port);
  EXPECT_EQ(k.preferred_address_types, (std::vector<std::string>{"InternalIP", "ExternalIP", "Hostname"}));
  EXPECT_EQ(k.certificate_authority, "/ca.pem");
  EXPECT_EQ(k.client_certificate, "/client.pem");
  EXPECT_EQ(k.client_key, "/client-key.pem");
  EXPECT_EQ(k.request_timeout, 5s);
  EXPECT_EQ(k.endpoint, KubeletEndpoint::automatic);
  ASSERT_EQ(d.cfg.sources.size(), 1u);
  EXPECT_EQ(d.cfg.sources[0].priority, 10);
  EXPECT_EQ(d.cfg.sources[0].path, "sources[0]");
  EXPECT_EQ(d.cfg.sources[0].location.line, 56);
  ASSERT_EQ(d.cfg.sinks.size(), 1u);
  EXPECT_EQ(d.cfg.sinks[0].type, "metrics_api");
  // Provenance keeps the line of each value.
  EXPECT_EQ(d.prov.get("host.metric_resolution").location.line, 34);
}

TEST(FileDecoder, UnknownKeyNamesFullPathAndPosition) {
  auto d = decode("host:\n  secure_serving:\n    bind_adress: 0.0.0.0\n");
  ASSERT_EQ(d.errors.size(), 1u);
  const auto& e = d.errors[0];
  EXPECT_EQ(e.path, "host.secure_serving.bind_adress");
  EXPECT_EQ(e.location.line, 3);
  EXPECT_EQ(e.location.column, 5);
  EXPECT_EQ(e.message.rfind("unknown key (did you mean \"bind_address\"?); valid keys: bind_address, secure_port, cert_dir", 0), 0u)
      << e.message;
  EXPECT_EQ(e.to_string().rfind("test.yaml:3:5: host.secure_serving.bind_adress: unknown key", 0), 0u) << e.to_string();
}

TEST(FileDecoder, UnknownTopLevelAndNestedKeys) {
  auto d = decode("hosts: {}\nkubelet:\n  prot: 1\nsinks:\n  - type: metrics_api\n    priority: 1\n");
  ASSERT_EQ(d.errors.size(), 3u) << format_errors(d.errors);
  EXPECT_EQ(d.errors[0].path, "kubelet.prot");
  EXPECT_EQ(d.errors[1].path, "sinks[0].priority");  // priority is for sources only
  EXPECT_EQ(d.errors[2].path, "hosts");
}

TEST(FileDecoder, WrongTypes) {
  auto d = decode(R"(host:
  secure_serving:
    secure_port: "443"
    permit_port_sharing: yes
  metric_resolution: 15
  plugin_dirs: /opt
  logging: text
kubelet:
  preferred_address_types: [InternalIP, [x]]
  request_timeout: 10x
  endpoint: stats
)");
  std::vector<std::string> paths;
  for (const auto& e : d.errors) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"host.secure_serving.secure_port", "host.secure_serving.permit_port_sharing",
                                             "host.metric_resolution", "host.logging", "host.plugin_dirs",
                                             "kubelet.preferred_address_types[1]", "kubelet.request_timeout",
                                             "kubelet.endpoint"}))
      << format_errors(d.errors);
  EXPECT_EQ(d.errors[0].message, "expected an integer, got a string (\"443\")");
  EXPECT_EQ(d.errors[0].location.line, 3);
  EXPECT_EQ(d.errors[2].message, "expected a duration string such as \"15s\", \"1m0s\" or \"500ms\", got an integer (15)");
  EXPECT_EQ(d.errors[6].message, "time: unknown unit \"x\" in duration \"10x\"");
  // Values that failed keep their defaults.
  EXPECT_EQ(d.cfg.host.secure_serving.secure_port, 443);
  EXPECT_EQ(d.cfg.host.metric_resolution, 60s);
}

TEST(FileDecoder, NullValuesKeepDefaults) {
  auto d = decode("host:\n  metric_resolution:\n  secure_serving: ~\nkubelet:\n");
  EXPECT_TRUE(d.errors.empty()) << format_errors(d.errors);
  EXPECT_EQ(d.cfg.host.metric_resolution, 60s);
}

TEST(FileDecoder, EmptyDocumentIsValid) {
  EXPECT_TRUE(decode("").errors.empty());
  EXPECT_TRUE(decode("# only a comment\n").errors.empty());
  EXPECT_TRUE(decode("{}").errors.empty());
}

TEST(FileDecoder, JsonIsYaml) {
  auto d = decode(R"({"host": {"metric_resolution": "15s", "secure_serving": {"secure_port": 4443}},
                      "sinks": [{"type": "metrics_api", "config": {"a": [1, 2.5, true, null, "x"]}}]})");
  ASSERT_TRUE(d.errors.empty()) << format_errors(d.errors);
  EXPECT_EQ(d.cfg.host.secure_serving.secure_port, 4443);
  EXPECT_EQ(d.cfg.sinks[0].config_json(), R"({"a":[1,2.5,true,null,"x"]})");
}

TEST(FileDecoder, MalformedYamlHasLineAndColumn) {
  auto d = decode("host:\n  metric_resolution: 15s\n  secure_serving: [unclosed\n");
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_TRUE(d.errors[0].location.known());
  EXPECT_GE(d.errors[0].location.line, 3);
  EXPECT_EQ(d.errors[0].message.rfind("malformed YAML: ", 0), 0u) << d.errors[0].message;
  auto tab = decode("host:\n\tmetric_resolution: 15s\n");
  ASSERT_EQ(tab.errors.size(), 1u);
  EXPECT_EQ(tab.errors[0].location.line, 2);
}

TEST(FileDecoder, SeveralDocumentsAreAnError) {
  auto d = decode("host: {metric_resolution: 15s}\n---\nkubelet: {port: 1}\n");
  ASSERT_EQ(d.errors.size(), 1u) << format_errors(d.errors);
  EXPECT_NE(d.errors[0].message.find("2 YAML documents"), std::string::npos);
  EXPECT_TRUE(decode("---\nhost: {}\n").errors.empty());  // one explicit document is fine
}

TEST(FileDecoder, DuplicateKeys) {
  auto d = decode("host:\n  metric_resolution: 15s\n  metric_resolution: 30s\n");
  ASSERT_EQ(d.errors.size(), 1u) << format_errors(d.errors);
  EXPECT_EQ(d.errors[0].path, "host.metric_resolution");
  EXPECT_EQ(d.errors[0].message, "duplicate key");
  EXPECT_EQ(d.errors[0].location.line, 3);
}

TEST(FileDecoder, PluginInstances) {
  auto d = decode(R"(sources:
  - type: kubelet
    config: {port: 10250, insecure_tls: true}
  - name: no-type
  - type: cadvisor
    config: [1, 2]
  -
sinks: {type: metrics_api}
)");
  std::vector<std::string> paths;
  for (const auto& e : d.errors) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"sources[1].type", "sources[2].config", "sources[3]", "sinks"}))
      << format_errors(d.errors);
  EXPECT_EQ(d.cfg.sources[0].config_json(), R"({"insecure_tls":true,"port":10250})");
}

TEST(YamlJson, CoreSchemaTyping) {
  ConfigErrors errs;
  YAML::Node n = YAML::Load(R"(
int: 10
neg: -3
hex: 0x1F
oct: 0o17
float: 2.5
exp: 1e3
t: true
f: False
nul: ~
empty:
quoted_int: "10"
single: 'true'
str: hello
tagged: !!str 42
big: 18446744073709551615
block: |
  line
nested: {list: [a, {b: c}]}
)");
  nlohmann::json j = yaml_to_json(n, "config", "f.yaml", errs);
  ASSERT_TRUE(errs.empty()) << format_errors(errs);
  EXPECT_EQ(j["int"], 10);
  EXPECT_EQ(j["neg"], -3);
  EXPECT_EQ(j["hex"], 31);
  EXPECT_EQ(j["oct"], 15);
  EXPECT_EQ(j["float"], 2.5);
  EXPECT_EQ(j["exp"], 1000.0);
  EXPECT_EQ(j["t"], true);
  EXPECT_EQ(j["f"], false);
  EXPECT_TRUE(j["nul"].is_null());
  EXPECT_TRUE(j["empty"].is_null());
  EXPECT_EQ(j["quoted_int"], "10");
  EXPECT_EQ(j["single"], "true");
  EXPECT_EQ(j["str"], "hello");
  EXPECT_EQ(j["tagged"], "42");
  EXPECT_EQ(j["big"].get<std::uint64_t>(), 18446744073709551615ULL);
  EXPECT_EQ(j["block"], "line\n");
  EXPECT_EQ(j["nested"]["list"][1]["b"], "c");
}

TEST(YamlJson, UnrepresentableValuesAreErrorsWithPaths) {
  ConfigErrors errs;
  YAML::Node n = YAML::Load("a: .inf\nb: [.nan]\n? [x]\n: 1\nc: 99999999999999999999999\n");
  yaml_to_json(n, "sources[0].config", "f.yaml", errs);
  std::vector<std::string> paths;
  for (const auto& e : errs) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"sources[0].config.a", "sources[0].config.b[0]", "sources[0].config",
                                             "sources[0].config.c"}))
      << format_errors(errs);
}

}  // namespace
}  // namespace kmetrics::config
