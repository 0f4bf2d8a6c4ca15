#include "config/validate.hpp"

#include <algorithm>
#include <set>

#include "config/flag_values.hpp"
#include "config/label_selector.hpp"
#include "config/plugin_instances.hpp"
#include "config/text_match.hpp"

namespace kmetrics::config {
namespace {

ConfigError attributed(const Provenance* prov, const std::string& path, std::string msg) {
  return prov ? prov->error(path, std::move(msg)) : ConfigError{path, std::move(msg), {}};
}

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void header_list(const std::vector<std::string>& values, const std::string& flag, const std::string& path,
                 const std::string& standard, const Provenance& prov, ConfigErrors& errors,
                 std::vector<std::string>& notices) {
  for (const auto& v : values) {
    if (v.find_first_not_of(" \t") == std::string::npos) {
      errors.push_back(prov.error(path, "empty value in \"" + flag + "\""));
      break;
    }
  }
  if (standard.empty() || values.empty()) return;
  if (std::none_of(values.begin(), values.end(), [&](const std::string& v) { return iequals(v, standard); })) {
    notices.push_back("--" + flag + " is set without specifying the standard " + standard +
                      " header - API aggregation will not work");
  }
}

void validate_instances(const std::vector<PluginInstance>& list, const std::string& what, ConfigErrors& errors) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& inst = list[i];
    std::string path = inst.path.empty() ? what + "[" + std::to_string(i) + "]" : inst.path;
    if (!inst.type.empty() && !is_plugin_type(inst.type)) {
      errors.push_back(ConfigError{path + ".type", "invalid plugin type \"" + inst.type +
                                                       "\": use lower case letters, digits and '_'", inst.location});
    }
    if (!inst.name.empty() && !is_instance_name(inst.name)) {
      errors.push_back(ConfigError{path + ".name", "invalid name \"" + inst.name +
                                                       "\": use at most 63 lower case letters, digits, '-', '_' or '.'",
                                   inst.location});
    }
    if (!names.insert(inst.name).second) {
      errors.push_back(ConfigError{path + ".name", "duplicate " + what.substr(0, what.size() - 1) + " name \"" +
                                                       inst.name + "\"; names must be unique",
                                   inst.location});
    }
    try {
      (void)inst.config.dump();
    } catch (const nlohmann::json::exception&) {
      errors.push_back(ConfigError{path + ".config", "contains text that is not valid UTF-8", inst.location});
    }
  }
}

}  // namespace

const std::vector<std::string>& known_tls_cipher_suites() {
  static const std::vector<std::string> names = {
      // Preferred (Go crypto/tls CipherSuites()).
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      // Insecure (Go crypto/tls InsecureCipherSuites()); accepted as metrics-server accepts them.
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
      "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_RSA_WITH_RC4_128_SHA"};
  return names;
}

ConfigErrors validate_kubelet(const KubeletClientConfig& k, const std::string& path, const Provenance* prov) {
  ConfigErrors errs;
  auto err = [&](const std::string& field, std::string msg) { errs.push_back(attributed(prov, join(path, field), std::move(msg))); };
  bool ca = !k.certificate_authority.empty(), cert = !k.client_certificate.empty(), key = !k.client_key.empty();
  if (ca && k.insecure_tls) err("insecure_tls", "cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls");
  if (key != cert) err(key ? "client_key" : "client_certificate", "need both --kubelet-client-key and --kubelet-client-certificate");
  if (key && k.completely_insecure)
    err("completely_insecure", "cannot use both --kubelet-client-key and --deprecated-kubelet-completely-insecure");
  if (cert && k.completely_insecure)
    err("completely_insecure", "cannot use both --kubelet-client-certificate and --deprecated-kubelet-completely-insecure");
  if (k.insecure_tls && k.completely_insecure)
    err("completely_insecure", "cannot use both --kubelet-insecure-tls and --deprecated-kubelet-completely-insecure");
  if (ca && k.completely_insecure)
    err("completely_insecure", "cannot use both --kubelet-certificate-authority and --deprecated-kubelet-completely-insecure");
  if (k.request_timeout <= Duration{0}) err("request_timeout", "kubelet-request-timeout should be positive");
  return errs;
}

ConfigErrors validate_resolution(Duration resolution, Duration timeout, const Provenance* prov) {
  ConfigErrors errs;
  if (resolution < std::chrono::seconds(10)) {
    errs.push_back(attributed(prov, "host.metric_resolution",
                              "metric-resolution should be a time duration at least 10s, but value " +
                                  format_go_duration(resolution) + " provided"));
  }
  // Integer arithmetic as in Go (resolution*9/10), so 10s/9s passes and 10s/10s fails.
  if (resolution * 9 / 10 < timeout) {
    errs.push_back(attributed(prov, "host.metric_resolution",
                              "metric-resolution should be larger than kubelet-request-timeout"));
  }
  return errs;
}

void validate_config(const HostConfig& cfg, const Provenance& prov, ConfigErrors& errors,
                     std::vector<std::string>& notices) {
  auto add = [&](ConfigErrors more) { errors.insert(errors.end(), more.begin(), more.end()); };
  auto err = [&](const std::string& path, std::string msg) { errors.push_back(prov.error(path, std::move(msg))); };
  const auto& h = cfg.host;
  const auto& ss = h.secure_serving;

  // metrics-server's own rules first, in its order.
  add(validate_kubelet(cfg.kubelet, "kubelet", &prov));
  add(validate_resolution(h.metric_resolution, cfg.kubelet.request_timeout, &prov));

  // Secure serving (k8s.io/apiserver SecureServingOptions / ServerRunOptions).
  if (ss.secure_port < 0 || ss.secure_port > 65535) {
    err("host.secure_serving.secure_port", "--secure-port " + std::to_string(ss.secure_port) +
                                               " must be between 0 and 65535, inclusive. 0 for turning off secure port");
  }
  if (!ss.bind_address.empty() && !is_ip_address(ss.bind_address)) {
    err("host.secure_serving.bind_address", "invalid IP address \"" + ss.bind_address + "\"");
  }
  if (ss.tls_cert_file.empty() != ss.tls_private_key_file.empty()) {
    err(ss.tls_cert_file.empty() ? "host.secure_serving.tls_private_key_file" : "host.secure_serving.tls_cert_file",
        "need both --tls-cert-file and --tls-private-key-file");
  }
  static const std::set<std::string> versions = {"VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"};
  if (!ss.tls_min_version.empty() && !versions.count(ss.tls_min_version)) {
    err("host.secure_serving.tls_min_version", "unknown tls version \"" + ss.tls_min_version +
                                                   "\"; valid values: VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13");
  }
  for (const auto& c : ss.tls_cipher_suites) {
    const auto& known = known_tls_cipher_suites();
    if (std::find(known.begin(), known.end(), c) == known.end()) {
      err("host.secure_serving.tls_cipher_suites", "Cipher suite " + c + " not supported or doesn't exist");
    }
  }
  if (ss.max_requests_inflight < 0) err("host.secure_serving.max_requests_inflight", "--max-requests-inflight can not be negative value");
  if (ss.request_timeout < Duration{0}) err("host.secure_serving.request_timeout", "--request-timeout can not be negative value");

  // Authentication / authorization.
  const auto& rh = h.authentication.requestheader;
  const std::string rp = "host.authentication.requestheader.";
  header_list(rh.username_headers, "requestheader-username-headers", rp + "username_headers", "X-Remote-User", prov, errors, notices);
  header_list(rh.group_headers, "requestheader-group-headers", rp + "group_headers", "X-Remote-Group", prov, errors, notices);
  header_list(rh.extra_headers_prefix, "requestheader-extra-headers-prefix", rp + "extra_headers_prefix", "X-Remote-Extra-",
              prov, errors, notices);
  header_list(rh.uid_headers, "requestheader-uid-headers", rp + "uid_headers", "", prov, errors, notices);
  header_list(rh.allowed_names, "requestheader-allowed-names", rp + "allowed_names", "", prov, errors, notices);
  if (h.authentication.token_webhook_cache_ttl < Duration{0})
    err("host.authentication.token_webhook_cache_ttl", "--authentication-token-webhook-cache-ttl can not be negative");
  if (h.authorization.webhook_cache_authorized_ttl < Duration{0})
    err("host.authorization.webhook_cache_authorized_ttl", "--authorization-webhook-cache-authorized-ttl can not be negative");
  if (h.authorization.webhook_cache_unauthorized_ttl < Duration{0})
    err("host.authorization.webhook_cache_unauthorized_ttl", "--authorization-webhook-cache-unauthorized-ttl can not be negative");
  for (const auto& p : h.authorization.always_allow_paths) {
    if (p.empty() || p[0] != '/') {
      err("host.authorization.always_allow_paths", "path \"" + p + "\" in --authorization-always-allow-paths must start with /");
    } else if (auto star = p.find('*'); star != std::string::npos && star != p.size() - 1) {
      err("host.authorization.always_allow_paths", "only trailing * allowed in \"" + p + "\"");
    }
  }

  // Host scalars.
  LabelSelector sel;
  std::string sel_err;
  if (!parse_label_selector(h.node_selector, sel, sel_err)) err("host.node_selector", "invalid node selector: " + sel_err);
  if (h.logging.format != "text" && h.logging.format != "json") {
    err("host.logging.format", "unsupported log format \"" + h.logging.format + "\"; valid values: text, json");
  }
  if (h.logging.verbosity < 0) err("host.logging.verbosity", "log verbosity must not be negative");
  if (h.logging.flush_frequency <= Duration{0}) err("host.logging.flush_frequency", "--log-flush-frequency must be positive");
  if (h.shutdown_delay < Duration{0}) err("host.shutdown_delay", "--shutdown-delay-duration can not be negative value");
  if (h.shutdown_deadline <= Duration{0}) err("host.shutdown_deadline", "shutdown deadline must be positive");
  if (h.heapster_port < 0 || h.heapster_port > 65535) {
    err("host.heapster_port", "--heapster-port " + std::to_string(h.heapster_port) + " must be between 0 and 65535");
  } else if (h.heapster_port != 0 && h.heapster_port == ss.secure_port) {
    err("host.heapster_port", "--heapster-port " + std::to_string(h.heapster_port) + " is already used by --secure-port");
  }
  for (const auto& d : h.plugin_dirs) {
    if (d.empty()) err("host.plugin_dirs", "empty plugin directory");
  }

  // Kubelet section beyond metrics-server's rules.
  const auto& k = cfg.kubelet;
  if (k.port < 1 || k.port > 65535) err("kubelet.port", "--kubelet-port " + std::to_string(k.port) + " must be between 1 and 65535");
  static const std::vector<std::string> types = {"Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"};
  if (k.preferred_address_types.empty()) {
    err("kubelet.preferred_address_types", "--kubelet-preferred-address-types needs at least one address type");
  }
  for (const auto& t : k.preferred_address_types) {
    if (std::find(types.begin(), types.end(), t) == types.end()) {
      err("kubelet.preferred_address_types", "unknown node address type \"" + t +
                                                 "\" in --kubelet-preferred-address-types; valid types: Hostname, "
                                                 "InternalDNS, InternalIP, ExternalDNS, ExternalIP");
    }
  }

  // Plugin instances; kubelet sources whose own config changes kubelet settings get metrics-server's rules too.
  validate_instances(cfg.sources, "sources", errors);
  validate_instances(cfg.sinks, "sinks", errors);
  for (const auto& src : cfg.sources) {
    if (src.type != "kubelet" || src.implicit) continue;
    KubeletClientConfig eff = kubelet_config_from_json(src.config, cfg.kubelet);
    ConfigErrors more = validate_kubelet(eff, src.path + ".config", nullptr);
    ConfigErrors res = validate_resolution(h.metric_resolution, eff.request_timeout, nullptr);
    for (auto& e : res) e.path = src.path + ".config.request_timeout";
    more.insert(more.end(), res.begin(), res.end());
    for (auto& e : more) {
      bool dup = std::any_of(errors.begin(), errors.end(), [&](const ConfigError& x) { return x.message == e.message; });
      if (dup) continue;
      e.location = src.location;
      errors.push_back(std::move(e));
    }
  }
}

}  // namespace kmetrics::config
