#include "config/plugin_instances.hpp"

#include <algorithm>

namespace kmetrics::config {
namespace {

// Config-file key in the kubelet section ↔ key in the kubelet source's JSON (identical by design).
constexpr std::string_view kKubeletKeys[] = {
    "port", "use_node_status_port", "preferred_address_types", "insecure_tls", "certificate_authority",
    "client_certificate", "client_key", "request_timeout", "completely_insecure", "endpoint"};

std::string default_name(const std::string& type) {
  std::string n = type;
  std::replace(n.begin(), n.end(), '_', '-');
  return n;
}

}  // namespace

nlohmann::json kubelet_source_config(const KubeletClientConfig& k) {
  return nlohmann::json{
      {"port", k.port},
      {"use_node_status_port", k.use_node_status_port},
      {"preferred_address_types", k.preferred_address_types},
      {"insecure_tls", k.insecure_tls},
      {"certificate_authority", k.certificate_authority},
      {"client_certificate", k.client_certificate},
      {"client_key", k.client_key},
      {"request_timeout", format_go_duration(k.request_timeout)},
      {"completely_insecure", k.completely_insecure},
      {"endpoint", std::string(to_string(k.endpoint))},
  };
}

KubeletClientConfig kubelet_config_from_json(const nlohmann::json& j, KubeletClientConfig k) {
  if (!j.is_object()) return k;
  auto get_bool = [&](const char* key, bool& out) {
    if (j.contains(key) && j[key].is_boolean()) out = j[key].get<bool>();
  };
  auto get_string = [&](const char* key, std::string& out) {
    if (j.contains(key) && j[key].is_string()) out = j[key].get<std::string>();
  };
  if (j.contains("port") && j["port"].is_number_integer()) k.port = j["port"].get<int>();
  get_bool("use_node_status_port", k.use_node_status_port);
  get_bool("insecure_tls", k.insecure_tls);
  get_bool("completely_insecure", k.completely_insecure);
  get_string("certificate_authority", k.certificate_authority);
  get_string("client_certificate", k.client_certificate);
  get_string("client_key", k.client_key);
  if (j.contains("preferred_address_types") && j["preferred_address_types"].is_array()) {
    std::vector<std::string> types;
    for (const auto& t : j["preferred_address_types"]) {
      if (t.is_string()) types.push_back(t.get<std::string>());
    }
    k.preferred_address_types = types;
  }
  if (j.contains("request_timeout") && j["request_timeout"].is_string()) {
    auto p = parse_go_duration(j["request_timeout"].get<std::string>());
    if (p.ok()) k.request_timeout = p.value;
  }
  if (j.contains("endpoint") && j["endpoint"].is_string()) parse_kubelet_endpoint(j["endpoint"].get<std::string>(), k.endpoint);
  return k;
}

void resolve_plugin_instances(HostConfig& cfg, const Provenance& prov) {
  nlohmann::json base = kubelet_source_config(cfg.kubelet);
  if (cfg.sources.empty()) {
    PluginInstance src;
    src.type = "kubelet";
    src.name = "kubelet";
    src.config = base;
    src.implicit = true;
    cfg.sources.push_back(std::move(src));
  } else {
    for (auto& src : cfg.sources) {
      if (src.type != "kubelet") continue;
      nlohmann::json merged = base;
      if (src.config.is_object()) merged.update(src.config);
      for (std::string_view key : kKubeletKeys) {
        if (prov.from_flag("kubelet." + std::string(key))) merged[std::string(key)] = base[std::string(key)];
      }
      src.config = std::move(merged);
    }
  }

  if (cfg.sinks.empty()) {
    PluginInstance sink;
    sink.type = "metrics_api";
    sink.name = "metrics-api";
    sink.implicit = true;
    cfg.sinks.push_back(std::move(sink));
  }
  if (cfg.host.heapster_port > 0) {
    bool found = false;
    for (auto& sink : cfg.sinks) {
      if (sink.type != "heapster_api") continue;
      found = true;
      if (prov.from_flag("host.heapster_port")) sink.config["port"] = cfg.host.heapster_port;
    }
    if (!found) {
      PluginInstance sink;
      sink.type = "heapster_api";
      sink.name = "heapster-api";
      sink.config = nlohmann::json{{"port", cfg.host.heapster_port}};
      sink.implicit = true;
      cfg.sinks.push_back(std::move(sink));
    }
  }

  for (auto* list : {&cfg.sources, &cfg.sinks}) {
    for (auto& inst : *list) {
      if (inst.name.empty()) inst.name = default_name(inst.type);
    }
  }
}

}  // namespace kmetrics::config
