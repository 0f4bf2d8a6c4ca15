// metrics-server command-line compatibility: syntax forms, real manifests' args, policies, error texts.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/flag_parser.hpp"
#include "config/flag_values.hpp"
#include "config/load.hpp"

namespace kmetrics::config {
namespace {

using namespace std::chrono_literals;
using Args = std::vector<std::string>;

std::string all(const ConfigErrors& errs) { return format_errors(errs); }

bool has_error(const ConfigErrors& errs, const std::string& text) {
  return std::any_of(errs.begin(), errs.end(), [&](const ConfigError& e) { return e.to_string().find(text) != std::string::npos; });
}

const std::vector<std::string> kManifestAddressTypes{"InternalIP", "ExternalIP", "Hostname"};

TEST(Flags, ComponentsYamlArgs) {
  auto r = load_config(Args{"--cert-dir=/tmp", "--secure-port=10250",
                            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                            "--kubelet-use-node-status-port", "--metric-resolution=15s"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config.host.secure_serving.cert_dir, "/tmp");
  EXPECT_EQ(r.config.host.secure_serving.secure_port, 10250);
  EXPECT_EQ(r.config.kubelet.preferred_address_types, kManifestAddressTypes);
  EXPECT_TRUE(r.config.kubelet.use_node_status_port);
  EXPECT_EQ(r.config.host.metric_resolution, 15s);
  EXPECT_FALSE(r.config.kubelet.insecure_tls);
  EXPECT_TRUE(r.notices.empty());
}

TEST(Flags, KubeaszArgs) {
  auto r = load_config(Args{"--cert-dir=/tmp", "--secure-port=10250", "--kubelet-insecure-tls",
                            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                            "--kubelet-use-node-status-port", "--metric-resolution=15s"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_TRUE(r.config.kubelet.insecure_tls);
  EXPECT_EQ(r.config.kubelet.preferred_address_types, kManifestAddressTypes);
  EXPECT_EQ(r.config.host.metric_resolution, 15s);
  EXPECT_EQ(r.config.host.secure_serving.secure_port, 10250);
}

TEST(Flags, TestOverlayArgs) {
  auto r = load_config(Args{"--cert-dir=/tmp", "--secure-port=10250",
                            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                            "--kubelet-use-node-status-port", "--metric-resolution=15s", "--kubelet-insecure-tls",
                            "--v=4", "--node-selector=metrics-server-skip!=true"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_TRUE(r.config.kubelet.insecure_tls);
  EXPECT_EQ(r.config.host.logging.verbosity, 4);
  EXPECT_EQ(r.config.host.node_selector, "metrics-server-skip!=true");
}

TEST(Flags, DefaultsMatchMetricsServerBinary) {
  auto r = load_config(Args{});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const auto& c = r.config;
  EXPECT_EQ(c.host.metric_resolution, 60s);
  EXPECT_EQ(format_go_duration(c.host.metric_resolution), "1m0s");
  EXPECT_EQ(c.host.secure_serving.secure_port, 443);
  EXPECT_EQ(c.host.secure_serving.bind_address, "0.0.0.0");
  EXPECT_EQ(c.host.secure_serving.cert_dir, "apiserver.local.config/certificates");
  EXPECT_EQ(c.host.secure_serving.max_requests_inflight, 400);
  EXPECT_EQ(c.host.secure_serving.request_timeout, 60s);
  EXPECT_EQ(c.kubelet.port, 10250);
  EXPECT_EQ(c.kubelet.request_timeout, 10s);
  EXPECT_EQ(c.kubelet.preferred_address_types,
            (std::vector<std::string>{"Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"}));
  EXPECT_EQ(c.host.authentication.token_webhook_cache_ttl, 10s);
  EXPECT_EQ(c.host.authentication.requestheader.username_headers, std::vector<std::string>{"x-remote-user"});
  EXPECT_EQ(c.host.authentication.requestheader.group_headers, std::vector<std::string>{"x-remote-group"});
  EXPECT_EQ(c.host.authentication.requestheader.extra_headers_prefix, std::vector<std::string>{"x-remote-extra-"});
  EXPECT_EQ(c.host.authorization.always_allow_paths, (std::vector<std::string>{"/healthz", "/readyz", "/livez"}));
  EXPECT_EQ(c.host.authorization.webhook_cache_authorized_ttl, 10s);
  EXPECT_EQ(c.host.authorization.webhook_cache_unauthorized_ttl, 10s);
  EXPECT_EQ(c.host.logging.format, "text");
  EXPECT_EQ(c.host.logging.flush_frequency, 5s);
  EXPECT_EQ(c.host.heapster_port, 0);
  EXPECT_EQ(c.kubelet.endpoint, KubeletEndpoint::automatic);
}

TEST(Flags, ValueForms) {
  auto r = load_config(Args{"--kubeconfig", "/etc/kube.conf", "--kubelet-port=10255", "--kubelet-request-timeout", "5s",
                            "--kubelet-use-node-status-port=false", "--kubelet-insecure-tls=true", "-v", "3"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config.host.kubeconfig, "/etc/kube.conf");
  EXPECT_EQ(r.config.kubelet.port, 10255);
  EXPECT_EQ(r.config.kubelet.request_timeout, 5s);
  EXPECT_FALSE(r.config.kubelet.use_node_status_port);
  EXPECT_TRUE(r.config.kubelet.insecure_tls);
  EXPECT_EQ(r.config.host.logging.verbosity, 3);
}

TEST(Flags, VerbosityForms) {
  for (const Args& a : {Args{"-v=4"}, Args{"-v", "4"}, Args{"-v4"}, Args{"--v=4"}, Args{"--v", "4"}}) {
    auto r = load_config(a);
    ASSERT_TRUE(r.ok()) << a[0] << ": " << all(r.errors);
    EXPECT_EQ(r.config.host.logging.verbosity, 4) << a[0];
  }
}

TEST(Flags, NodeSelectorShorthandForms) {
  for (const Args& a : {Args{"-l", "role=worker"}, Args{"-l=role=worker"}, Args{"-lrole=worker"},
                        Args{"--node-selector", "role=worker"}, Args{"--node-selector=role=worker"}}) {
    auto r = load_config(a);
    ASSERT_TRUE(r.ok()) << a[0] << ": " << all(r.errors);
    EXPECT_EQ(r.config.host.node_selector, "role=worker") << a[0];
  }
}

TEST(Flags, BoolValuesFollowStrconvParseBool) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) {
    auto r = load_config(Args{std::string("--kubelet-insecure-tls=") + t});
    ASSERT_TRUE(r.ok()) << t;
    EXPECT_TRUE(r.config.kubelet.insecure_tls) << t;
  }
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) {
    auto r = load_config(Args{"--kubelet-insecure-tls", std::string("--kubelet-insecure-tls=") + f});
    ASSERT_TRUE(r.ok()) << f;
    EXPECT_FALSE(r.config.kubelet.insecure_tls) << f;
  }
  auto bad = load_config(Args{"--kubelet-insecure-tls=yes"});
  EXPECT_TRUE(has_error(bad.errors,
                        "invalid argument \"yes\" for \"--kubelet-insecure-tls\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax"))
      << all(bad.errors);
}

TEST(Flags, BareBoolDoesNotConsumeNextWord) {
  auto r = load_config(Args{"--kubelet-insecure-tls", "false"});
  EXPECT_TRUE(has_error(r.errors, "unexpected argument \"false\"")) << all(r.errors);
}

TEST(Flags, StringSlicesCommaSeparatedAndRepeated) {
  auto r = load_config(Args{"--kubelet-preferred-address-types=InternalIP", "--kubelet-preferred-address-types",
                            "ExternalIP,Hostname", "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config.kubelet.preferred_address_types, kManifestAddressTypes);
  EXPECT_EQ(r.config.host.authorization.always_allow_paths,
            (std::vector<std::string>{"/healthz", "/readyz", "/livez", "/metrics"}));
}

TEST(Flags, CsvSplitting) {
  std::vector<std::string> out;
  std::string err;
  ASSERT_TRUE(split_csv("a,b,c", out, err));
  EXPECT_EQ(out, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(split_csv("", out, err));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(split_csv("\"a,b\",c", out, err));
  EXPECT_EQ(out, (std::vector<std::string>{"a,b", "c"}));
  ASSERT_TRUE(split_csv("a,", out, err));
  EXPECT_EQ(out, (std::vector<std::string>{"a", ""}));
  EXPECT_FALSE(split_csv("a\"b", out, err));
}

TEST(Flags, IntegersFollowStrconvParseInt) {
  auto r = load_config(Args{"--kubelet-port=0x2802"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config.kubelet.port, 10242);
  auto bad = load_config(Args{"--kubelet-port=abc"});
  EXPECT_TRUE(has_error(bad.errors,
                        "invalid argument \"abc\" for \"--kubelet-port\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"))
      << all(bad.errors);
  auto empty = load_config(Args{"--secure-port="});
  EXPECT_TRUE(has_error(empty.errors, "invalid argument \"\" for \"--secure-port\" flag")) << all(empty.errors);
}

TEST(Flags, BadDurationUsesGoMessage) {
  auto r = load_config(Args{"--metric-resolution=15"});
  EXPECT_TRUE(has_error(r.errors,
                        "invalid argument \"15\" for \"--metric-resolution\" flag: time: missing unit in duration \"15\""))
      << all(r.errors);
}

TEST(Flags, BadIp) {
  auto r = load_config(Args{"--bind-address=not-an-ip"});
  EXPECT_TRUE(has_error(r.errors, "failed to parse IP: \"not-an-ip\"")) << all(r.errors);
  auto v6 = load_config(Args{"--bind-address=::"});
  EXPECT_TRUE(v6.ok()) << all(v6.errors);
  EXPECT_EQ(v6.config.host.secure_serving.bind_address, "::");
}

TEST(Flags, UnknownFlags) {
  auto r = load_config(Args{"--foo", "--kubelet-insecure-tls", "-x", "--bar=1"});
  EXPECT_TRUE(has_error(r.errors, "unknown flag: --foo")) << all(r.errors);
  EXPECT_TRUE(has_error(r.errors, "unknown flag: --bar")) << all(r.errors);
  EXPECT_TRUE(has_error(r.errors, "unknown shorthand flag: 'x' in -x")) << all(r.errors);
  EXPECT_EQ(r.errors.size(), 3u) << all(r.errors);
}

TEST(Flags, SingleDashLongFlagIsRejectedLikePflag) {
  auto r = load_config(Args{"-kubeconfig=/x"});
  EXPECT_TRUE(has_error(r.errors, "unknown shorthand flag: 'k' in -kubeconfig=/x")) << all(r.errors);
}

TEST(Flags, MissingArgument) {
  auto r = load_config(Args{"--kubeconfig"});
  EXPECT_TRUE(has_error(r.errors, "flag needs an argument: --kubeconfig")) << all(r.errors);
  auto s = load_config(Args{"-l"});
  EXPECT_TRUE(has_error(s.errors, "flag needs an argument: 'l' in -l")) << all(s.errors);
}

TEST(Flags, DoubleDashEndsFlags) {
  auto r = load_config(Args{"--kubelet-insecure-tls", "--", "--kubelet-port=1"});
  EXPECT_TRUE(has_error(r.errors, "unexpected argument \"--kubelet-port=1\"")) << all(r.errors);
  EXPECT_EQ(r.config.kubelet.port, 10250);
}

TEST(Flags, RefusedFlagsWithNonDefaultValuesAreErrors) {
  auto r = load_config(Args{"--audit-log-path=/var/log/audit.log", "--vmodule=foo=2", "--feature-gates=A=true",
                            "--contention-profiling", "--tls-sni-cert-key=a.crt,a.key"});
  EXPECT_TRUE(has_error(r.errors, "--audit-log-path is not supported by kmetrics")) << all(r.errors);
  EXPECT_TRUE(has_error(r.errors, "--vmodule is not supported by kmetrics")) << all(r.errors);
  EXPECT_TRUE(has_error(r.errors, "--feature-gates is not supported by kmetrics")) << all(r.errors);
  EXPECT_TRUE(has_error(r.errors, "--contention-profiling is not supported by kmetrics")) << all(r.errors);
  EXPECT_TRUE(has_error(r.errors, "--tls-sni-cert-key is not supported by kmetrics")) << all(r.errors);
  EXPECT_EQ(r.errors.size(), 5u) << all(r.errors);
  // The error names the flag as its path, so the printed line is just the message.
  EXPECT_EQ(r.errors[0].path, "--audit-log-path");
  EXPECT_EQ(r.errors[0].to_string().rfind("--audit-log-path is not supported by kmetrics", 0), 0u);
}

TEST(Flags, RefusedFlagsAtTheirDefaultsAreAccepted) {
  auto r = load_config(Args{"--audit-log-maxage=366", "--audit-log-format=json", "--audit-webhook-batch-throttle-enable=true",
                            "--audit-webhook-batch-max-wait=30s", "--audit-log-path=", "--goaway-chance=0",
                            "--log-json-info-buffer-size=0", "--log-text-split-stream=false", "--cors-allowed-origins=",
                            "--tls-curve-preferences=", "--contention-profiling=false"});
  EXPECT_TRUE(r.ok()) << all(r.errors);
  EXPECT_TRUE(r.notices.empty());
  auto bad = load_config(Args{"--audit-log-maxage=30"});
  EXPECT_TRUE(has_error(bad.errors, "--audit-log-maxage is not supported by kmetrics (audit logging is not implemented); "
                                    "remove it or set it to its default 366"))
      << all(bad.errors);
}

TEST(Flags, NoOpFlagsAreAcceptedWithANotice) {
  auto r = load_config(Args{"--profiling=false", "--enable-priority-and-fairness=false", "--max-mutating-requests-inflight=100",
                            "--disable-http2-serving", "--advertise-address=10.0.0.1", "--min-request-timeout=60"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  ASSERT_EQ(r.notices.size(), 6u);
  EXPECT_EQ(r.notices[0], "--profiling has no effect in kmetrics: kmetrics serves no /debug/pprof endpoints");
  // No-op flags are still type-checked.
  auto bad = load_config(Args{"--advertise-address=nope", "--min-request-timeout=x"});
  EXPECT_EQ(bad.errors.size(), 2u) << all(bad.errors);
}

TEST(Flags, KmetricsFlags) {
  auto r = load_config(Args{"--plugin-dir=/a", "--plugin-dir", "/b,/c", "--kubelet-endpoint=auto", "--heapster-port=8082"});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config.host.plugin_dirs, (std::vector<std::string>{"/a", "/b", "/c"}));
  EXPECT_EQ(r.config.kubelet.endpoint, KubeletEndpoint::automatic);
  EXPECT_EQ(r.config.host.heapster_port, 8082);
  auto bad = load_config(Args{"--kubelet-endpoint=stats"});
  EXPECT_TRUE(has_error(bad.errors, "invalid argument \"stats\" for \"--kubelet-endpoint\" flag: must be one of resource, summary, auto"))
      << all(bad.errors);
}

TEST(Flags, HelpAndVersion) {
  EXPECT_TRUE(load_config(Args{"--help"}).help_requested);
  EXPECT_TRUE(load_config(Args{"-h"}).help_requested);
  EXPECT_TRUE(load_config(Args{"--version"}).version_requested);
  EXPECT_FALSE(load_config(Args{"--version=false"}).version_requested);
  // Help wins over a missing config file: nothing is loaded.
  auto r = load_config(Args{"--config=/nonexistent.yaml", "--help"});
  EXPECT_TRUE(r.help_requested);
  EXPECT_TRUE(r.ok()) << all(r.errors);
}

TEST(Flags, ArgvOverload) {
  const char* argv[] = {"kmetrics", "--metric-resolution=30s", "--kubelet-insecure-tls"};
  auto r = load_config(3, argv);
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config.host.metric_resolution, 30s);
}

TEST(Flags, AllErrorsAreCollected) {
  auto r = load_config(Args{"--foo", "--kubelet-port=x", "--metric-resolution=5s", "--audit-log-path=/a",
                            "--kubelet-insecure-tls", "--kubelet-certificate-authority=/ca"});
  EXPECT_TRUE(has_error(r.errors, "unknown flag: --foo"));
  EXPECT_TRUE(has_error(r.errors, "--kubelet-port"));
  EXPECT_TRUE(has_error(r.errors, "metric-resolution should be a time duration at least 10s, but value 5s provided"));
  EXPECT_TRUE(has_error(r.errors, "--audit-log-path is not supported by kmetrics"));
  EXPECT_TRUE(has_error(r.errors, "cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls"));
  EXPECT_TRUE(has_error(r.errors, "metric-resolution should be larger than kubelet-request-timeout"));  // 4.5s < 10s
  EXPECT_EQ(r.errors.size(), 6u) << all(r.errors);
}

TEST(FlagParser, Occurrences) {
  ParsedArgs p = parse_args({"-v4", "--kubeconfig", "-", "x"});
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.flags.size(), 2u);
  EXPECT_EQ(p.flags[0].spelled, "-v");
  EXPECT_EQ(p.flags[0].value, "4");
  EXPECT_EQ(p.flags[1].value, "-");  // pflag takes the next word as the value, even "-"
  EXPECT_EQ(p.positional, std::vector<std::string>{"x"});
  EXPECT_FALSE(parse_args({"---x"}).errors.empty());
  EXPECT_FALSE(parse_args({"--=x"}).errors.empty());
}

}  // namespace
}  // namespace kmetrics::config
