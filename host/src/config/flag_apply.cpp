#include "config/flag_apply.hpp"

#include <climits>
#include <functional>
#include <map>

#include "config/flag_values.hpp"

namespace kmetrics::config {
namespace {

using Setter = std::function<void(HostConfig&, const FlagValue&)>;

// Config path → how a flag value lands there. Paths match FlagSpec::detail and the config-file keys.
const std::map<std::string_view, Setter>& setters() {
  static const std::map<std::string_view, Setter> m = {
      {"host.kubeconfig", [](HostConfig& c, const FlagValue& v) { c.host.kubeconfig = v.text; }},
      {"host.metric_resolution", [](HostConfig& c, const FlagValue& v) { c.host.metric_resolution = v.duration; }},
      {"host.node_selector", [](HostConfig& c, const FlagValue& v) { c.host.node_selector = v.text; }},
      {"host.shutdown_delay", [](HostConfig& c, const FlagValue& v) { c.host.shutdown_delay = v.duration; }},
      {"host.heapster_port", [](HostConfig& c, const FlagValue& v) { c.host.heapster_port = static_cast<int>(v.integer); }},
      {"host.plugin_dirs", [](HostConfig& c, const FlagValue& v) { c.host.plugin_dirs = v.items; }},
      {"host.secure_serving.max_requests_inflight",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.max_requests_inflight = static_cast<int>(v.integer); }},
      {"host.secure_serving.request_timeout",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.request_timeout = v.duration; }},
      {"host.secure_serving.bind_address", [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.bind_address = v.text; }},
      {"host.secure_serving.cert_dir", [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.cert_dir = v.text; }},
      {"host.secure_serving.permit_address_sharing",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.permit_address_sharing = v.boolean; }},
      {"host.secure_serving.permit_port_sharing",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.permit_port_sharing = v.boolean; }},
      {"host.secure_serving.secure_port",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.secure_port = static_cast<int>(v.integer); }},
      {"host.secure_serving.tls_cert_file", [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.tls_cert_file = v.text; }},
      {"host.secure_serving.tls_cipher_suites",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.tls_cipher_suites = v.items; }},
      {"host.secure_serving.tls_min_version", [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.tls_min_version = v.text; }},
      {"host.secure_serving.tls_private_key_file",
       [](HostConfig& c, const FlagValue& v) { c.host.secure_serving.tls_private_key_file = v.text; }},
      {"host.authentication.kubeconfig", [](HostConfig& c, const FlagValue& v) { c.host.authentication.kubeconfig = v.text; }},
      {"host.authentication.skip_lookup", [](HostConfig& c, const FlagValue& v) { c.host.authentication.skip_lookup = v.boolean; }},
      {"host.authentication.token_webhook_cache_ttl",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.token_webhook_cache_ttl = v.duration; }},
      {"host.authentication.tolerate_lookup_failure",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.tolerate_lookup_failure = v.boolean; }},
      {"host.authentication.client_ca_file", [](HostConfig& c, const FlagValue& v) { c.host.authentication.client_ca_file = v.text; }},
      {"host.authentication.requestheader.allowed_names",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.requestheader.allowed_names = v.items; }},
      {"host.authentication.requestheader.client_ca_file",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.requestheader.client_ca_file = v.text; }},
      {"host.authentication.requestheader.extra_headers_prefix",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.requestheader.extra_headers_prefix = v.items; }},
      {"host.authentication.requestheader.group_headers",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.requestheader.group_headers = v.items; }},
      {"host.authentication.requestheader.uid_headers",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.requestheader.uid_headers = v.items; }},
      {"host.authentication.requestheader.username_headers",
       [](HostConfig& c, const FlagValue& v) { c.host.authentication.requestheader.username_headers = v.items; }},
      {"host.authorization.always_allow_paths",
       [](HostConfig& c, const FlagValue& v) { c.host.authorization.always_allow_paths = v.items; }},
      {"host.authorization.kubeconfig", [](HostConfig& c, const FlagValue& v) { c.host.authorization.kubeconfig = v.text; }},
      {"host.authorization.webhook_cache_authorized_ttl",
       [](HostConfig& c, const FlagValue& v) { c.host.authorization.webhook_cache_authorized_ttl = v.duration; }},
      {"host.authorization.webhook_cache_unauthorized_ttl",
       [](HostConfig& c, const FlagValue& v) { c.host.authorization.webhook_cache_unauthorized_ttl = v.duration; }},
      {"host.logging.flush_frequency", [](HostConfig& c, const FlagValue& v) { c.host.logging.flush_frequency = v.duration; }},
      {"host.logging.format", [](HostConfig& c, const FlagValue& v) { c.host.logging.format = v.text; }},
      {"host.logging.verbosity", [](HostConfig& c, const FlagValue& v) { c.host.logging.verbosity = static_cast<int>(v.integer); }},
      {"kubelet.completely_insecure", [](HostConfig& c, const FlagValue& v) { c.kubelet.completely_insecure = v.boolean; }},
      {"kubelet.certificate_authority", [](HostConfig& c, const FlagValue& v) { c.kubelet.certificate_authority = v.text; }},
      {"kubelet.client_certificate", [](HostConfig& c, const FlagValue& v) { c.kubelet.client_certificate = v.text; }},
      {"kubelet.client_key", [](HostConfig& c, const FlagValue& v) { c.kubelet.client_key = v.text; }},
      {"kubelet.insecure_tls", [](HostConfig& c, const FlagValue& v) { c.kubelet.insecure_tls = v.boolean; }},
      {"kubelet.port", [](HostConfig& c, const FlagValue& v) { c.kubelet.port = static_cast<int>(v.integer); }},
      {"kubelet.preferred_address_types", [](HostConfig& c, const FlagValue& v) { c.kubelet.preferred_address_types = v.items; }},
      {"kubelet.request_timeout", [](HostConfig& c, const FlagValue& v) { c.kubelet.request_timeout = v.duration; }},
      {"kubelet.use_node_status_port", [](HostConfig& c, const FlagValue& v) { c.kubelet.use_node_status_port = v.boolean; }},
      {"kubelet.endpoint",
       [](HostConfig& c, const FlagValue& v) { parse_kubelet_endpoint(v.text, c.kubelet.endpoint); }},
  };
  return m;
}

// The merged value of one flag over all its occurrences (slices accumulate, scalars: last wins).
struct Merged {
  const FlagSpec* spec = nullptr;
  std::string spelled;
  FlagValue value;
  bool valid = false;
};

std::string refused_message(const FlagSpec& spec) {
  std::string msg = "--" + std::string(spec.name) + " is not supported by kmetrics (" + std::string(spec.detail) + ")";
  if (spec.default_value.empty() || spec.default_value == "[]") {
    msg += "; remove it";
  } else {
    msg += "; remove it or set it to its default " + std::string(spec.default_value);
  }
  return msg;
}

}  // namespace

FlagActions flag_actions(const ParsedArgs& args) {
  FlagActions a;
  for (const auto& occ : args.flags) {
    bool b = false;
    if (occ.spec->name == "help") a.help = parse_go_bool(occ.value, b) ? (b || a.help) : a.help;
    if (occ.spec->name == "version") a.version = parse_go_bool(occ.value, b) ? b : a.version;
    if (occ.spec->name == "config") a.config_file = occ.value;
  }
  return a;
}

void apply_flags(const ParsedArgs& args, HostConfig& cfg, Provenance& prov, ConfigErrors& errors,
                 std::vector<std::string>& notices) {
  std::vector<Merged> merged;  // first-seen order, so errors follow the command line
  auto slot = [&](const FlagSpec* spec) -> Merged& {
    for (auto& m : merged) {
      if (m.spec == spec) return m;
    }
    merged.push_back(Merged{spec, "", {}, false});
    return merged.back();
  };
  for (const auto& occ : args.flags) {
    const FlagSpec& spec = *occ.spec;
    FlagValue v;
    std::string err;
    if (!convert_flag_value(spec.kind, occ.value, v, err)) {
      std::string shown = spec.shorthand.empty() ? "--" + std::string(spec.name)
                                                 : "-" + std::string(spec.shorthand) + ", --" + std::string(spec.name);
      errors.push_back(ConfigError{"--" + std::string(spec.name),
                                   "invalid argument \"" + occ.value + "\" for \"" + shown + "\" flag: " + err, {}});
      continue;
    }
    Merged& m = slot(occ.spec);
    m.spelled = occ.spelled;
    if (spec.kind == FlagKind::string_slice && m.valid) {
      m.value.items.insert(m.value.items.end(), v.items.begin(), v.items.end());  // pflag: repeats append
    } else {
      m.value = std::move(v);
    }
    m.valid = true;
  }

  for (const auto& m : merged) {
    if (!m.valid) continue;
    const FlagSpec& spec = *m.spec;
    std::string flag = "--" + std::string(spec.name);
    switch (spec.policy) {
      case FlagPolicy::refused:
        if (!is_default_flag_value(spec, m.value)) errors.push_back(ConfigError{flag, refused_message(spec), {}});
        continue;
      case FlagPolicy::no_op:
        notices.push_back(flag + " has no effect in kmetrics: " + std::string(spec.detail));
        continue;
      case FlagPolicy::implemented:
        break;
    }
    if (spec.detail.empty()) continue;  // actions: --help, --version, --config
    if (spec.kind == FlagKind::integer && (m.value.integer < INT_MIN || m.value.integer > INT_MAX)) {
      errors.push_back(ConfigError{flag, "invalid argument for \"" + flag + "\" flag: value out of range", {}});
      continue;
    }
    if (spec.name == "kubelet-endpoint") {
      KubeletEndpoint e;
      if (!parse_kubelet_endpoint(m.value.text, e)) {
        errors.push_back(ConfigError{flag, "invalid argument \"" + m.value.text + "\" for \"" + flag +
                                               "\" flag: must be one of resource, summary, auto", {}});
        continue;
      }
    }
    auto it = setters().find(spec.detail);
    if (it == setters().end()) {
      errors.push_back(ConfigError{flag, "internal error: no setting for " + flag, {}});
      continue;
    }
    it->second(cfg, m.value);
    prov.set_flag(std::string(spec.detail), flag);
  }
}

}  // namespace kmetrics::config
