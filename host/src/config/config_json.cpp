#include "config/config_json.hpp"

#include "config/plugin_instances.hpp"

namespace kmetrics::config {
namespace {

std::string d(Duration v) { return format_go_duration(v); }

nlohmann::json instances(const std::vector<PluginInstance>& list, bool sources) {
  auto arr = nlohmann::json::array();
  for (const auto& i : list) {
    nlohmann::json j{{"type", i.type}, {"name", i.name}, {"config", i.config}};
    if (sources) j["priority"] = i.priority;
    arr.push_back(std::move(j));
  }
  return arr;
}

}  // namespace

nlohmann::json to_json(const HostConfig& cfg) {
  const auto& h = cfg.host;
  const auto& ss = h.secure_serving;
  const auto& an = h.authentication;
  const auto& rh = an.requestheader;
  const auto& az = h.authorization;
  const auto& k = cfg.kubelet;
  return nlohmann::json{
      {"host",
       {{"secure_serving",
         {{"bind_address", ss.bind_address},
          {"secure_port", ss.secure_port},
          {"cert_dir", ss.cert_dir},
          {"tls_cert_file", ss.tls_cert_file},
          {"tls_private_key_file", ss.tls_private_key_file},
          {"tls_min_version", ss.tls_min_version},
          {"tls_cipher_suites", ss.tls_cipher_suites},
          {"max_requests_inflight", ss.max_requests_inflight},
          {"request_timeout", d(ss.request_timeout)},
          {"permit_address_sharing", ss.permit_address_sharing},
          {"permit_port_sharing", ss.permit_port_sharing}}},
        {"authentication",
         {{"kubeconfig", an.kubeconfig},
          {"skip_lookup", an.skip_lookup},
          {"tolerate_lookup_failure", an.tolerate_lookup_failure},
          {"token_webhook_cache_ttl", d(an.token_webhook_cache_ttl)},
          {"client_ca_file", an.client_ca_file},
          {"requestheader",
           {{"client_ca_file", rh.client_ca_file},
            {"allowed_names", rh.allowed_names},
            {"username_headers", rh.username_headers},
            {"group_headers", rh.group_headers},
            {"extra_headers_prefix", rh.extra_headers_prefix},
            {"uid_headers", rh.uid_headers}}}}},
        {"authorization",
         {{"kubeconfig", az.kubeconfig},
          {"always_allow_paths", az.always_allow_paths},
          {"webhook_cache_authorized_ttl", d(az.webhook_cache_authorized_ttl)},
          {"webhook_cache_unauthorized_ttl", d(az.webhook_cache_unauthorized_ttl)}}},
        {"kubeconfig", h.kubeconfig},
        {"metric_resolution", d(h.metric_resolution)},
        {"node_selector", h.node_selector},
        {"logging",
         {{"format", h.logging.format}, {"verbosity", h.logging.verbosity}, {"flush_frequency", d(h.logging.flush_frequency)}}},
        {"plugin_dirs", h.plugin_dirs},
        {"shutdown_delay", d(h.shutdown_delay)},
        {"shutdown_deadline", d(h.shutdown_deadline)},
        {"heapster_port", h.heapster_port}}},
      // The file's kubelet section has exactly the keys the kubelet source receives.
      {"kubelet", kubelet_source_config(k)},
      {"sources", instances(cfg.sources, true)},
      {"sinks", instances(cfg.sinks, false)},
  };
}

}  // namespace kmetrics::config
