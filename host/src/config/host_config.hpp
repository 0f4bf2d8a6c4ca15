// The host's configuration model: what kmetrics.yaml and metrics-server's flags decode into.
// Defaults are metrics-server v0.9's binary defaults (not its manifests' values).
// Field names are the config-file keys; config/README.md lists each with its flag.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config_error.hpp"
#include "config/duration.hpp"

namespace kmetrics::config {

struct SecureServingConfig {
  std::string bind_address = "0.0.0.0";
  int secure_port = 443;  // 0 = do not serve HTTPS at all
  std::string cert_dir = "apiserver.local.config/certificates";
  std::string tls_cert_file;         // with tls_private_key_file; empty = self-signed cert in cert_dir
  std::string tls_private_key_file;
  std::string tls_min_version;       // "" (library default) or VersionTLS10..VersionTLS13
  std::vector<std::string> tls_cipher_suites;  // Go names (TLS_ECDHE_...); empty = defaults
  int max_requests_inflight = 400;   // 0 = no limit
  Duration request_timeout = std::chrono::seconds{60};    // per-request handler timeout
  bool permit_address_sharing = false;  // SO_REUSEADDR
  bool permit_port_sharing = false;     // SO_REUSEPORT
};

struct RequestHeaderConfig {
  std::string client_ca_file;  // empty = read from kube-system/extension-apiserver-authentication
  std::vector<std::string> allowed_names;  // empty = any cert signed by the requestheader CA
  std::vector<std::string> username_headers{"x-remote-user"};
  std::vector<std::string> group_headers{"x-remote-group"};
  std::vector<std::string> extra_headers_prefix{"x-remote-extra-"};
  std::vector<std::string> uid_headers;
};

struct AuthenticationConfig {
  std::string kubeconfig;  // empty = in-cluster
  bool skip_lookup = false;
  bool tolerate_lookup_failure = false;
  Duration token_webhook_cache_ttl = std::chrono::seconds{10};
  std::string client_ca_file;
  RequestHeaderConfig requestheader;
};

struct AuthorizationConfig {
  std::string kubeconfig;  // empty = in-cluster
  std::vector<std::string> always_allow_paths{"/healthz", "/readyz", "/livez"};
  Duration webhook_cache_authorized_ttl = std::chrono::seconds{10};
  Duration webhook_cache_unauthorized_ttl = std::chrono::seconds{10};
};

struct LoggingConfig {
  std::string format = "text";  // text | json
  int verbosity = 0;            // klog -v level
  Duration flush_frequency = std::chrono::seconds{5};
};

struct HostSection {
  SecureServingConfig secure_serving;
  AuthenticationConfig authentication;
  AuthorizationConfig authorization;
  std::string kubeconfig;  // API server (and default kubelet credentials); empty = in-cluster
  Duration metric_resolution = std::chrono::seconds{60};
  std::string node_selector;  // label selector; restricts scraped and served nodes
  LoggingConfig logging;
  std::vector<std::string> plugin_dirs;  // empty = the loader's built-in default
  Duration shutdown_delay = std::chrono::seconds{0};          // keep serving (readyz failing) this long after SIGTERM
  Duration shutdown_deadline = std::chrono::seconds{20};      // hard limit for the whole orderly shutdown
  int heapster_port = 0;                 // 0 = heapster-compatible API off
};

enum class KubeletEndpoint { resource, summary, automatic };
std::string_view to_string(KubeletEndpoint e);  // "resource" | "summary" | "auto"
bool parse_kubelet_endpoint(std::string_view text, KubeletEndpoint& out);

struct KubeletClientConfig {
  int port = 10250;
  bool use_node_status_port = false;
  std::vector<std::string> preferred_address_types{"Hostname", "InternalDNS", "InternalIP", "ExternalDNS",
                                                   "ExternalIP"};
  bool insecure_tls = false;
  std::string certificate_authority;
  std::string client_certificate;
  std::string client_key;
  Duration request_timeout = std::chrono::seconds{10};
  bool completely_insecure = false;  // plain http, no credentials
  // auto = /metrics/resource, falling back per node to /stats/summary on 404 (the kubelet plugin's default);
  // with kubelets that serve /metrics/resource this is exactly metrics-server's behaviour.
  KubeletEndpoint endpoint = KubeletEndpoint::automatic;
};

// One configured source or sink. `config` is opaque to the host: the plugin receives it as UTF-8 JSON
// bytes (config_json()) and decodes it strictly itself.
struct PluginInstance {
  std::string type;  // plugin type, e.g. "kubelet", "metrics_api"
  std::string name;  // unique within its list
  int priority = 0;  // sources only: the higher wins when two sources report the same object
  nlohmann::json config = nlohmann::json::object();
  std::string path;   // "sources[0]" — prefix for the plugin's own error paths; "" when added by default
  Location location;  // of the entry in the config file, when it came from one
  bool implicit = false;  // added by the defaulting rules, not written by the user

  std::string config_json() const { return config.dump(); }
};

struct HostConfig {
  HostSection host;
  KubeletClientConfig kubelet;
  std::vector<PluginInstance> sources;
  std::vector<PluginInstance> sinks;
};

}  // namespace kmetrics::config
