#include "plugin/kubelet_source.hpp"

#include <unordered_set>

#include "decode/resource_metrics_decoder.hpp"
#include "decode/summary_decoder.hpp"
#include "plugin/emit_result.hpp"

namespace kmetrics::kubelet {
namespace {

constexpr int64_t kForgetEveryNs = 60'000'000'000;

// Scratch decoders and results, one per scraping thread: reused so a steady-state scrape does not
// allocate. They hold no state between calls.
struct Scratch {
  ResourceMetricsDecoder resource;
  SummaryDecoder summary;
  ScrapeResult result;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

std::string statusText(int code) {
  switch (code) {
    case 401: return "401 Unauthorized";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 500: return "500 Internal Server Error";
    case 503: return "503 Service Unavailable";
    default: return std::to_string(code);
  }
}

}  // namespace

void KubeletSource::describe(sdk::ConfigSpec<Config>& spec) {
  spec.field("port", &Config::port, "Kubelet port (--kubelet-port).").min(1).max(65535);
  spec.field("use_node_status_port", &Config::use_node_status_port,
             "Use the port in the node's status.daemonEndpoints instead of `port` (--kubelet-use-node-status-port).");
  spec.field("preferred_address_types", &Config::preferred_address_types,
             "Node address types to try, in order (--kubelet-preferred-address-types).")
      .oneOf({"Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"});
  spec.field("insecure_tls", &Config::insecure_tls,
             "Do not verify kubelet serving certificates (--kubelet-insecure-tls). Applied by the host's kubelet "
             "HTTP profile, which is built from the same values.");
  spec.field("certificate_authority", &Config::certificate_authority,
             "CA file for kubelet serving certificates (--kubelet-certificate-authority); host-applied.");
  spec.field("client_certificate", &Config::client_certificate,
             "Client certificate for kubelets (--kubelet-client-certificate); host-applied.");
  spec.field("client_key", &Config::client_key, "Client key for kubelets (--kubelet-client-key); host-applied.");
  spec.field("request_timeout", &Config::request_timeout, "Per-node request timeout (--kubelet-request-timeout).")
      .min(std::chrono::milliseconds(1));
  spec.field("completely_insecure", &Config::completely_insecure,
             "Plain HTTP without credentials (--deprecated-kubelet-completely-insecure).");
  spec.field("endpoint", &Config::endpoint,
             "resource: /metrics/resource; summary: /stats/summary; auto: /metrics/resource, falling back per node "
             "to the Summary API on 404.")
      .oneOf({"resource", "summary", "auto"});
  spec.field("summary_recheck_interval", &Config::summary_recheck_interval,
             "In auto mode, how long a node stays on the Summary API before /metrics/resource is tried again.")
      .min(std::chrono::seconds(1));
}

KubeletSource::KubeletSource(const sdk::Context& ctx, Config config)
    : host_(ctx.host),
      log_(ctx.host.logger()),
      config_(std::move(config)),
      endpoint_options_{config_.preferred_address_types, static_cast<int>(config_.port), config_.use_node_status_port,
                        config_.completely_insecure},
      modes_(config_.summary_recheck_interval) {
  // metrics-server's kubelet families, so dashboards and alerts keep working.
  last_request_time_ = host_.registerMetric(KMETRICS_METRIC_GAUGE, "metrics_server_kubelet_last_request_time_seconds",
                                            "[ALPHA] Time of last request performed to kubelet API per node", {"node"});
  request_duration_ = host_.registerMetric(KMETRICS_METRIC_HISTOGRAM, "metrics_server_kubelet_request_duration_seconds",
                                           "[ALPHA] Duration of requests to kubelet API in seconds", {"node"});
  request_total_ = host_.registerMetric(KMETRICS_METRIC_COUNTER, "metrics_server_kubelet_request_total",
                                        "[ALPHA] Number of requests sent to kubelet API", {"success"});
}

sdk::Status KubeletSource::scrape(const sdk::ScrapeRequest& request, const sdk::Emitter& out) {
  auto node = request.node();
  if (!node) {
    return sdk::Status::invalidArgument("the kubelet source scrapes per node; no node given");
  }
  const std::string name(node->name());
  std::string error;
  auto base = baseUrl(*node, endpoint_options_, &error);
  if (!base) {
    return sdk::Status::invalidArgument("node " + name + ": " + error);
  }
  const int64_t start_mono = host_.nowMonoNs();
  {
    std::lock_guard lock(known_mu_);
    known_nodes_[name] = start_mono;
  }
  forgetRemovedNodes(start_mono);

  // A sink needing extended series reads the full Summary API, which carries CPU and memory too.
  const bool full_summary = request.wantsExtended();
  Endpoint endpoint = Endpoint::kSummary;
  if (!full_summary) {
    endpoint = config_.endpoint == "summary" ? Endpoint::kSummary
               : config_.endpoint == "resource" ? Endpoint::kResource
                                                : modes_.choose(name, start_mono);
  }
  auto urlFor = [&](Endpoint e) {
    if (e == Endpoint::kResource) return *base + resourceMetricsPath(*node);
    return *base + (full_summary ? "/stats/summary" : "/stats/summary?only_cpu_and_memory=true");
  };

  int code = 0;
  sdk::Status st = fetchAndEmit(*node, urlFor(endpoint), endpoint, request, out, &code);
  if (endpoint == Endpoint::kResource && config_.endpoint == "auto") {
    if (code == 404) {
      log_.info("node ", name, ": /metrics/resource answered 404; using the Summary API for this node");
      modes_.markSummaryOnly(name, start_mono);
      st = fetchAndEmit(*node, urlFor(Endpoint::kSummary), Endpoint::kSummary, request, out, &code);
    } else if (code != 0) {
      modes_.markResourceWorks(name);
    }
  }
  return st;
}

sdk::Status KubeletSource::fetchAndEmit(const sdk::NodeView& node, const std::string& url, Endpoint endpoint,
                                        const sdk::ScrapeRequest& request, const sdk::Emitter& out, int* status_code) {
  sdk::HttpRequest req;
  req.url = url;
  req.headers = {{"Accept", endpoint == Endpoint::kResource ? "text/plain;version=0.0.4" : "application/json"}};
  const int64_t timeout_deadline = host_.nowMonoNs() + config_.request_timeout.count();
  req.deadline_mono_ns = std::min(timeout_deadline, request.deadlineMonoNs());
  req.profile = KMETRICS_HTTP_PROFILE_KUBELET;

  const int64_t start = host_.nowMonoNs();
  sdk::Status decode_status;
  sdk::Status http_status = host_.http(req, [&](const sdk::HttpResponseView& resp) {
    *status_code = resp.status();
    if (resp.status() != 200) {
      decode_status = sdk::Status::unavailable("request failed, status: \"" + statusText(resp.status()) + "\"");
      return;
    }
    Scratch& s = scratch();
    const auto d = endpoint == Endpoint::kResource ? s.resource.decode(resp.body(), request.nowUnixNs(), s.result)
                                                   : s.summary.decode(resp.body(), s.result);
    if (!d.ok()) {
      decode_status = sdk::Status::invalidArgument(std::string("decoding ") + url + ": " + d.message);
      return;
    }
    emitResult(s.result, node.name(), out);
  });
  const bool success = http_status.isOk() && decode_status.isOk();
  recordRequest(node.name(), success, static_cast<double>(host_.nowMonoNs() - start) / 1e9, request.nowUnixNs());
  if (!http_status.isOk()) {
    return http_status;
  }
  return decode_status;
}

void KubeletSource::recordRequest(std::string_view node, bool success, double seconds, int64_t now_unix_ns) {
  last_request_time_.record(static_cast<double>(now_unix_ns) / 1e9, {node});
  request_duration_.record(seconds, {node});
  request_total_.record(1, {success ? "true" : "false"});
}

// Deletes the per-node series of nodes that left the cluster, so a churning cluster does not grow
// the self-metrics without bound (metrics-server #1114, #1876).
void KubeletSource::forgetRemovedNodes(int64_t now_mono_ns) {
  std::unique_lock lock(known_mu_, std::try_to_lock);
  if (!lock.owns_lock() || now_mono_ns - last_forget_ns_ < kForgetEveryNs) {
    return;
  }
  last_forget_ns_ = now_mono_ns;
  std::unordered_set<std::string> present;
  host_.forEachNode([&](const sdk::NodeView& n) {
    present.emplace(n.name());
    return true;
  });
  for (auto it = known_nodes_.begin(); it != known_nodes_.end();) {
    if (present.count(it->first) == 0) {
      last_request_time_.remove({it->first});
      request_duration_.remove({it->first});
      it = known_nodes_.erase(it);
    } else {
      ++it;
    }
  }
  modes_.forgetOlderThan(now_mono_ns - 2 * kForgetEveryNs);
}

}  // namespace kmetrics::kubelet
