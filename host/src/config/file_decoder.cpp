#include "config/file_decoder.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/yaml_json.hpp"
#include "config/yaml_reader.hpp"

namespace kmetrics::config {
namespace {

void decode_secure_serving(MapReader& r, SecureServingConfig& c) {
  r.read("bind_address", c.bind_address);
  r.read("secure_port", c.secure_port);
  r.read("cert_dir", c.cert_dir);
  r.read("tls_cert_file", c.tls_cert_file);
  r.read("tls_private_key_file", c.tls_private_key_file);
  r.read("tls_min_version", c.tls_min_version);
  r.read("tls_cipher_suites", c.tls_cipher_suites);
  r.read("max_requests_inflight", c.max_requests_inflight);
  r.read("request_timeout", c.request_timeout);
  r.read("permit_address_sharing", c.permit_address_sharing);
  r.read("permit_port_sharing", c.permit_port_sharing);
}

void decode_authentication(MapReader& r, AuthenticationConfig& c) {
  r.read("kubeconfig", c.kubeconfig);
  r.read("skip_lookup", c.skip_lookup);
  r.read("tolerate_lookup_failure", c.tolerate_lookup_failure);
  r.read("token_webhook_cache_ttl", c.token_webhook_cache_ttl);
  r.read("client_ca_file", c.client_ca_file);
  r.section("requestheader", [&](MapReader& h) {
    h.read("client_ca_file", c.requestheader.client_ca_file);
    h.read("allowed_names", c.requestheader.allowed_names);
    h.read("username_headers", c.requestheader.username_headers);
    h.read("group_headers", c.requestheader.group_headers);
    h.read("extra_headers_prefix", c.requestheader.extra_headers_prefix);
    h.read("uid_headers", c.requestheader.uid_headers);
  });
}

void decode_authorization(MapReader& r, AuthorizationConfig& c) {
  r.read("kubeconfig", c.kubeconfig);
  r.read("always_allow_paths", c.always_allow_paths);
  r.read("webhook_cache_authorized_ttl", c.webhook_cache_authorized_ttl);
  r.read("webhook_cache_unauthorized_ttl", c.webhook_cache_unauthorized_ttl);
}

void decode_host(MapReader& r, HostSection& h) {
  r.section("secure_serving", [&](MapReader& s) { decode_secure_serving(s, h.secure_serving); });
  r.section("authentication", [&](MapReader& s) { decode_authentication(s, h.authentication); });
  r.section("authorization", [&](MapReader& s) { decode_authorization(s, h.authorization); });
  r.read("kubeconfig", h.kubeconfig);
  r.read("metric_resolution", h.metric_resolution);
  r.read("node_selector", h.node_selector);
  r.section("logging", [&](MapReader& s) {
    s.read("format", h.logging.format);
    s.read("verbosity", h.logging.verbosity);
    s.read("flush_frequency", h.logging.flush_frequency);
  });
  r.read("plugin_dirs", h.plugin_dirs);
  r.read("shutdown_delay", h.shutdown_delay);
  r.read("shutdown_deadline", h.shutdown_deadline);
  r.read("heapster_port", h.heapster_port);
}

void decode_kubelet(MapReader& r, KubeletClientConfig& k) {
  r.read("port", k.port);
  r.read("use_node_status_port", k.use_node_status_port);
  r.read("preferred_address_types", k.preferred_address_types);
  r.read("insecure_tls", k.insecure_tls);
  r.read("certificate_authority", k.certificate_authority);
  r.read("client_certificate", k.client_certificate);
  r.read("client_key", k.client_key);
  r.read("request_timeout", k.request_timeout);
  r.read("completely_insecure", k.completely_insecure);
  YAML::Node raw = r.raw("endpoint");
  if (raw.IsDefined()) {
    if (!raw.IsScalar() || !parse_kubelet_endpoint(raw.Scalar(), k.endpoint)) {
      r.context().errors.push_back(ConfigError{r.child_path("endpoint"),
                                               "must be one of resource, summary, auto",
                                               location_of(raw, r.context().file)});
    } else {
      r.context().provenance.set_file(r.child_path("endpoint"), location_of(raw, r.context().file));
    }
  }
}

// sources: / sinks: — a list of {type, name, priority (sources only), config}.
void decode_instances(const YAML::Node& list, const std::string& path, bool is_source, DecodeContext& ctx,
                      std::vector<PluginInstance>& out) {
  if (!list.IsDefined()) return;
  if (!list.IsSequence()) {
    ctx.errors.push_back(ConfigError{path, "expected a list of plugin instances", location_of(list, ctx.file)});
    return;
  }
  std::size_t i = 0;
  for (const auto& item : list) {
    PluginInstance inst;
    inst.path = path + "[" + std::to_string(i++) + "]";
    inst.location = location_of(item, ctx.file);
    MapReader r(item, inst.path, ctx);
    if (!item.IsMap()) {
      if (item.IsNull()) ctx.errors.push_back(ConfigError{inst.path, "empty entry", inst.location});
      continue;
    }
    r.read("type", inst.type);
    r.read("name", inst.name);
    if (is_source) r.read("priority", inst.priority);
    YAML::Node cfg = r.raw("config");
    if (cfg.IsDefined()) {
      if (!cfg.IsMap()) {
        ctx.errors.push_back(ConfigError{inst.path + ".config", "expected a mapping (the plugin's settings)",
                                         location_of(cfg, ctx.file)});
      } else {
        inst.config = yaml_to_json(cfg, inst.path + ".config", ctx.file, ctx.errors);
      }
    }
    r.finish();
    if (inst.type.empty()) ctx.errors.push_back(ConfigError{inst.path + ".type", "required", inst.location});
    out.push_back(std::move(inst));
  }
}

}  // namespace

void decode_config_text(std::string_view text, const std::string& file_name, HostConfig& cfg, Provenance& prov,
                        ConfigErrors& errors) {
  YAML::Node root;
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.size() > 1) {
      // Silently using the first document would hide the rest of the user's settings.
      errors.push_back(ConfigError{"", "the file holds " + std::to_string(docs.size()) +
                                           " YAML documents; a config file holds exactly one",
                                   location_of(docs[1], file_name)});
      return;
    }
    if (!docs.empty()) root = docs[0];
  } catch (const YAML::Exception& e) {
    Location loc{file_name, 0, 0};
    if (e.mark.line >= 0) loc.line = e.mark.line + 1, loc.column = e.mark.column + 1;
    errors.push_back(ConfigError{"", "malformed YAML: " + e.msg, loc});
    return;
  }
  DecodeContext ctx{file_name, errors, prov};
  MapReader top(root, "", ctx);
  top.section("host", [&](MapReader& r) { decode_host(r, cfg.host); });
  top.section("kubelet", [&](MapReader& r) { decode_kubelet(r, cfg.kubelet); });
  decode_instances(top.raw("sources"), "sources", true, ctx, cfg.sources);
  decode_instances(top.raw("sinks"), "sinks", false, ctx, cfg.sinks);
  top.finish();
}

void decode_config_file(const std::string& path, HostConfig& cfg, Provenance& prov, ConfigErrors& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(ConfigError{"", "cannot read config file \"" + path + "\"", {path, 0, 0}});
    return;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  decode_config_text(ss.str(), path, cfg, prov, errors);
}

}  // namespace kmetrics::config
