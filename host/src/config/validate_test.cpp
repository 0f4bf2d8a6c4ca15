// metrics-server's validation rules (kubelet_client_test.go TestValidate, options_test.go) and ours.
#include "config/validate.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "config/label_selector.hpp"
#include "config/load.hpp"

namespace kmetrics::config {
namespace {

using namespace std::chrono_literals;
using Args = std::vector<std::string>;

struct KubeletCase {
  const char* name;
  KubeletClientConfig options;
  std::size_t expected_errors;
};

KubeletClientConfig with(std::function<void(KubeletClientConfig&)> f) {
  KubeletClientConfig k;
  k.request_timeout = 1s;
  f(k);
  return k;
}

// The 12 cases of metrics-server's TestValidate, same expectations.
TEST(ValidateKubelet, MetricsServerCases) {
  const KubeletCase cases[] = {
      {"Default options should pass validate", KubeletClientConfig{}, 0},
      {"Cannot use both --kubelet-certificate-authority and --deprecated-kubelet-completely-insecure",
       with([](auto& k) { k.completely_insecure = true, k.certificate_authority = "a"; }), 1},
      {"Cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls",
       with([](auto& k) { k.insecure_tls = true, k.certificate_authority = "a"; }), 1},
      {"use both --kubelet-client-certificate and --kubelet-client-key",
       with([](auto& k) { k.client_key = "a", k.client_certificate = "b"; }), 0},
      {"cannot use both --kubelet-client-certificate and --deprecated-kubelet-completely-insecure",
       with([](auto& k) { k.client_certificate = "a", k.completely_insecure = true; }), 2},
      {"cannot use both --kubelet-client-key and --deprecated-kubelet-completely-insecure",
       with([](auto& k) { k.client_key = "a", k.completely_insecure = true; }), 2},
      {"cannot use both --kubelet-insecure-tls and --deprecated-kubelet-completely-insecure",
       with([](auto& k) { k.insecure_tls = true, k.completely_insecure = true; }), 1},
      {"cannot give only --kubelet-client-certificate", with([](auto& k) { k.client_certificate = "a"; }), 1},
      {"cannot give only --kubelet-client-key", with([](auto& k) { k.client_key = "a"; }), 1},
      {"can give --kubelet-request-timeout value larger than 0", with([](auto&) {}), 0},
      {"cannot give --kubelet-request-timeout value equal 0", with([](auto& k) { k.request_timeout = 0s; }), 1},
      {"cannot give --kubelet-request-timeout value less than 0", with([](auto& k) { k.request_timeout = -10s; }), 1},
  };
  for (const auto& c : cases) {
    ConfigErrors errs = validate_kubelet(c.options, "kubelet", nullptr);
    EXPECT_EQ(errs.size(), c.expected_errors) << c.name << "\n" << format_errors(errs);
  }
}

TEST(ValidateKubelet, MetricsServerMessages) {
  auto msgs = [](KubeletClientConfig k) {
    std::vector<std::string> out;
    for (const auto& e : validate_kubelet(k, "kubelet", nullptr)) out.push_back(e.message);
    return out;
  };
  EXPECT_EQ(msgs(with([](auto& k) { k.insecure_tls = true, k.certificate_authority = "a"; })),
            std::vector<std::string>{"cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls"});
  EXPECT_EQ(msgs(with([](auto& k) { k.client_key = "a"; })),
            std::vector<std::string>{"need both --kubelet-client-key and --kubelet-client-certificate"});
  EXPECT_EQ(msgs(with([](auto& k) { k.client_certificate = "a", k.completely_insecure = true; })),
            (std::vector<std::string>{"need both --kubelet-client-key and --kubelet-client-certificate",
                                      "cannot use both --kubelet-client-certificate and --deprecated-kubelet-completely-insecure"}));
  EXPECT_EQ(msgs(with([](auto& k) { k.request_timeout = 0s; })),
            std::vector<std::string>{"kubelet-request-timeout should be positive"});
}

TEST(ValidateResolution, TenSecondsMinimum) {
  auto errs = validate_resolution(9s, 1s, nullptr);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "metric-resolution should be a time duration at least 10s, but value 9s provided");
  EXPECT_TRUE(validate_resolution(10s, 1s, nullptr).empty());
}

TEST(ValidateResolution, NinetyPercentOfResolutionMustCoverTimeout) {
  EXPECT_TRUE(validate_resolution(10s, 9s, nullptr).empty());  // metrics-server options_test: OK
  auto errs = validate_resolution(10s, 10s, nullptr);          // rejected
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "metric-resolution should be larger than kubelet-request-timeout");
  EXPECT_TRUE(validate_resolution(60s, 10s, nullptr).empty());
  EXPECT_TRUE(validate_resolution(15s, 10s, nullptr).empty());
  EXPECT_FALSE(validate_resolution(11s, 10s, nullptr).empty());  // 9.9s < 10s
}

TEST(ValidateResolution, ThroughFlags) {
  auto ok = load_config(Args{"--metric-resolution=10s", "--kubelet-request-timeout=9s"});
  EXPECT_TRUE(ok.ok()) << format_errors(ok.errors);
  auto bad = load_config(Args{"--metric-resolution=10s", "--kubelet-request-timeout=10s"});
  ASSERT_EQ(bad.errors.size(), 1u) << format_errors(bad.errors);
  EXPECT_EQ(bad.errors[0].path, "--metric-resolution");  // attributed to the flag that set it
  auto zero = load_config(Args{"--kubelet-request-timeout=0s"});
  ASSERT_EQ(zero.errors.size(), 1u) << format_errors(zero.errors);
  EXPECT_EQ(zero.errors[0].to_string(), "--kubelet-request-timeout: kubelet-request-timeout should be positive");
  EXPECT_EQ(zero.errors[0].path, "--kubelet-request-timeout");
}

TEST(ValidateConfig, ServingAndAuth) {
  auto r = load_config(Args{"--secure-port=70000", "--tls-min-version=VersionTLS14", "--tls-cipher-suites=TLS_FOO",
                            "--tls-cert-file=/a.crt", "--max-requests-inflight=-1", "--logging-format=xml",
                            "--requestheader-username-headers=", "--authorization-always-allow-paths=healthz"});
  auto text = format_errors(r.errors);
  for (const char* want :
       {"--secure-port 70000 must be between 0 and 65535, inclusive. 0 for turning off secure port",
        "unknown tls version \"VersionTLS14\"", "Cipher suite TLS_FOO not supported or doesn't exist",
        "need both --tls-cert-file and --tls-private-key-file", "--max-requests-inflight can not be negative value",
        "unsupported log format \"xml\"", "must start with /"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  EXPECT_EQ(r.errors.size(), 7u) << text;  // an empty header list is allowed
}

TEST(ValidateConfig, RequestHeaderWarnings) {
  auto r = load_config(Args{"--requestheader-username-headers=X-User"});
  ASSERT_TRUE(r.ok()) << format_errors(r.errors);
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("without specifying the standard X-Remote-User header"), std::string::npos);
  // kubeasz's apiserver flags use mixed case; matching is case-insensitive.
  auto kz = load_config(Args{"--requestheader-username-headers=X-Remote-User", "--requestheader-group-headers=X-Remote-Group",
                             "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                             "--requestheader-allowed-names=aggregator,system:aggregator:kube-apiserver"});
  EXPECT_TRUE(kz.ok()) << format_errors(kz.errors);
  EXPECT_TRUE(kz.notices.empty());
  auto empty = load_config(Args{"--requestheader-group-headers=a,"});
  EXPECT_NE(format_errors(empty.errors).find("empty value in \"requestheader-group-headers\""), std::string::npos);
}

TEST(ValidateConfig, AddressTypesAndPorts) {
  auto r = load_config(Args{"--kubelet-preferred-address-types=InternalIP,Hostnam", "--kubelet-port=0",
                            "--heapster-port=443"});
  auto text = format_errors(r.errors);
  EXPECT_NE(text.find("unknown node address type \"Hostnam\""), std::string::npos) << text;
  EXPECT_NE(text.find("--kubelet-port 0 must be between 1 and 65535"), std::string::npos) << text;
  EXPECT_NE(text.find("--heapster-port 443 is already used by --secure-port"), std::string::npos) << text;
}

TEST(LabelSelector, Syntax) {
  LabelSelector s;
  std::string err;
  for (const char* ok : {"", "a=b", "a==b", "a!=b", "metrics-server-skip!=true", "a in (x,y)", "a notin (x)", "a", "!a",
                         "a=b,c!=d", "kubernetes.io/os=linux", "a="}) {
    EXPECT_TRUE(parse_label_selector(ok, s, err)) << ok << ": " << err;
  }
  for (const char* bad : {"a=b,", "=b", "a in x", "a=(b", "a=b c", "-a=b", "a/b/c=d"}) {
    EXPECT_FALSE(parse_label_selector(bad, s, err)) << bad;
  }
  auto r = load_config(Args{"--node-selector=a=b,"});
  EXPECT_NE(format_errors(r.errors).find("--node-selector"), std::string::npos) << format_errors(r.errors);
}

TEST(LabelSelector, Matching) {
  LabelSelector s;
  std::string err;
  ASSERT_TRUE(parse_label_selector("metrics-server-skip!=true", s, err));
  EXPECT_TRUE(s.matches({}));
  EXPECT_TRUE(s.matches({{"metrics-server-skip", "false"}}));
  EXPECT_FALSE(s.matches({{"metrics-server-skip", "true"}}));
  ASSERT_TRUE(parse_label_selector("role in (a,b),!gpu,zone", s, err));
  EXPECT_TRUE(s.matches({{"role", "a"}, {"zone", "z1"}}));
  EXPECT_FALSE(s.matches({{"role", "c"}, {"zone", "z1"}}));
  EXPECT_FALSE(s.matches({{"role", "a"}, {"zone", "z1"}, {"gpu", ""}}));
  EXPECT_FALSE(s.matches({{"role", "a"}}));
}

}  // namespace
}  // namespace kmetrics::config

#include "config/text_match.hpp"

namespace kmetrics::config {
namespace {

TEST(TextMatch, YamlNumbers) {
  for (const char* s : {"0", "10", "-3", "+7", "0o17", "0x1F", "0xff"}) EXPECT_TRUE(is_yaml_int(s)) << s;
  for (const char* s : {"", "-", "+", "1.0", "0o8", "0x", "0xg", "1e3", "12a"}) EXPECT_FALSE(is_yaml_int(s)) << s;
  for (const char* s : {"1.5", ".5", "5.", "-1.5e3", "1e3", "+2E-4", ".inf", "-.Inf", ".NaN", "3"})
    EXPECT_TRUE(is_yaml_float(s)) << s;
  for (const char* s : {"", ".", "e3", "1e", "1.5.2", "-.nan", "inf", "1e+", "1_0"}) EXPECT_FALSE(is_yaml_float(s)) << s;
}

TEST(TextMatch, Names) {
  for (const char* s : {"kubelet", "metrics_api", "a1"}) EXPECT_TRUE(is_plugin_type(s)) << s;
  for (const char* s : {"", "1a", "Kubelet", "metrics-api"}) EXPECT_FALSE(is_plugin_type(s)) << s;
  for (const char* s : {"metrics-api", "a", "a.b_c-1", "0"}) EXPECT_TRUE(is_instance_name(s)) << s;
  for (const std::string& s : {std::string(), std::string("-a"), std::string("a-"), std::string("A"),
                               std::string("a b"), std::string(64, 'a')}) {
    EXPECT_FALSE(is_instance_name(s)) << s;
  }
  EXPECT_TRUE(is_instance_name(std::string(63, 'a')));
  for (const char* s : {"Role", "a.b-c_d", "x"}) EXPECT_TRUE(is_label_name(s)) << s;
  for (const char* s : {"", "_a", "a.", "a/b"}) EXPECT_FALSE(is_label_name(s)) << s;
  for (const char* s : {"kubernetes.io", "a", "a-b.c"}) EXPECT_TRUE(is_dns_subdomain(s)) << s;
  for (const char* s : {"", "A.io", "a..b", "-a.io", "a.io."}) EXPECT_FALSE(is_dns_subdomain(s)) << s;
}

TEST(TextMatch, Quantities) {
  bool zero = false;
  for (const char* s : {"0", "0Ki", "0.0", "+0", "0e3", "0m"}) {
    EXPECT_TRUE(is_quantity(s, zero)) << s;
    EXPECT_TRUE(zero) << s;
  }
  for (const char* s : {"1", "512", "1k", "2Ki", "3M", "5Mi", "1.5Gi", "100m", "1e3", ".5"}) {
    EXPECT_TRUE(is_quantity(s, zero)) << s;
    EXPECT_FALSE(zero) << s;
  }
  for (const char* s : {"", "Ki", "1KB", "1ki", "1 Ki", "1.2.3", "1e"}) EXPECT_FALSE(is_quantity(s, zero)) << s;
}

}  // namespace
}  // namespace kmetrics::config
