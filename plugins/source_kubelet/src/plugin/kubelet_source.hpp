// The kubelet source: scrapes every node's kubelet once per tick, as metrics-server does.
// Per-node scope: the host calls scrape() for each node concurrently, with the node's deadline.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <kmetrics/sdk.hpp>

#include "plugin/endpoint_mode.hpp"
#include "plugin/node_endpoint.hpp"

namespace kmetrics::kubelet {

class KubeletSource : public sdk::Source {
 public:
  struct Config {
    int64_t port = 10250;
    bool use_node_status_port = false;
    std::vector<std::string> preferred_address_types = {"Hostname", "InternalDNS", "InternalIP", "ExternalDNS",
                                                        "ExternalIP"};
    bool insecure_tls = false;
    std::string certificate_authority;
    std::string client_certificate;
    std::string client_key;
    sdk::Duration request_timeout = std::chrono::seconds(10);
    bool completely_insecure = false;
    std::string endpoint = "auto";
    sdk::Duration summary_recheck_interval = std::chrono::minutes(10);
  };
  static void describe(sdk::ConfigSpec<Config>& spec);

  KubeletSource(const sdk::Context& ctx, Config config);
  sdk::Status scrape(const sdk::ScrapeRequest& request, const sdk::Emitter& out) override;

 private:
  // One GET of `url`; decodes into the thread's scratch result and emits it. Sets *status_code
  // (0 when no HTTP answer arrived).
  sdk::Status fetchAndEmit(const sdk::NodeView& node, const std::string& url, Endpoint endpoint,
                           const sdk::ScrapeRequest& request, const sdk::Emitter& out, int* status_code);
  void recordRequest(std::string_view node, bool success, double seconds, int64_t now_unix_ns);
  void forgetRemovedNodes(int64_t now_mono_ns);

  sdk::Host host_;
  sdk::Logger log_;
  Config config_;
  EndpointOptions endpoint_options_;
  EndpointModeTracker modes_;
  sdk::Metric last_request_time_, request_duration_, request_total_;

  std::mutex known_mu_;
  std::unordered_map<std::string, int64_t> known_nodes_;  // node → last scrape (monotonic ns)
  int64_t last_forget_ns_ = 0;
};

}  // namespace kmetrics::kubelet
