#include "app/serving_setup.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "cluster/kubeconfig.hpp"
#include "http/tls_context.hpp"
#include "serving/authenticator.hpp"
#include "serving/authorizer.hpp"
#include "serving/kube_client.hpp"
#include "serving/token_authn.hpp"

namespace kmetrics {
namespace {

std::chrono::milliseconds ms(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

// The serving layer's client for TokenReview, SubjectAccessReview and the auth ConfigMap, with the
// same server, CA, client certificate and rotating token as the rest of the host.
std::shared_ptr<ApiClient> reviewClient(const cluster::RestConfig& rest) {
  ApiClientConfig c;
  c.base_url = rest.server;
  if (rest.server.rfind("https://", 0) == 0) {
    c.tls = http::make_client_context(rest.tls);
  }
  if (auto token = rest.token) {
    c.bearer_token = [token] { return token->token(); };
  }
  return std::make_shared<ApiClient>(c);
}

}  // namespace

ServingSetup::ServingSetup(const config::HostConfig& cfg, const cluster::RestConfig& rest,
                           std::shared_ptr<RouteRegistry> routes, SelfMetrics& metrics, const Store& store,
                           const cluster::ClusterView& view, const HostServices& services,
                           const std::atomic<bool>& shutting_down, const std::atomic<int64_t>& last_tick_start_ns)
    : cfg_(cfg),
      rest_(rest),
      routes_(std::move(routes)),
      metrics_(metrics),
      store_(store),
      view_(view),
      services_(services),
      shutting_down_(shutting_down),
      last_tick_start_ns_(last_tick_start_ns),
      health_(std::make_shared<HealthChecks>()) {}

ServingSetup::~ServingSetup() {
  if (auth_loader_) auth_loader_->stop();
}

void ServingSetup::addHealthChecks() {
  const unsigned all = kLivez | kReadyz | kHealthz;
  auto ok = [] { return std::string(); };
  // metrics-server's check names, in its order (reference/metrics-server.md §2.8).
  health_->add(all, "log", ok);
  health_->add(all, "poststarthook/max-in-flight-filter", ok);
  health_->add(all, "poststarthook/storage-object-count-tracker-hook", ok);
  health_->add(kLivez, "metric-collection-timely", [this] {
    const int64_t last = last_tick_start_ns_.load();
    if (last == 0) return std::string();  // passes before the first tick, as metrics-server's
    const auto since = std::chrono::steady_clock::now().time_since_epoch() - std::chrono::nanoseconds(last);
    return since > cfg_.host.metric_resolution * 3 / 2 ? std::string("metric collection didn't finish on time")
                                                        : std::string();
  });
  health_->add(kReadyz, "metric-storage-ready", [this] {
    return store_.snapshot()->ready() ? std::string() : std::string("no metrics to serve");
  });
  health_->add(kReadyz, "metric-informer-sync", [this] {
    const auto s = view_.snapshot();
    if (!s->nodes_synced()) return std::string("cache for node informer has not synced");
    if (!s->pods_synced()) return std::string("cache for pod informer has not synced");
    return std::string();
  });
  health_->add(all, "metadata-informer-sync", [this] {
    return view_.snapshot()->pods_synced() ? std::string() : std::string("1 informers not started yet: [pods]");
  });
  health_->add(kReadyz, "shutdown", [this] {
    return shutting_down_.load() ? std::string("process is shutting down") : std::string();
  });
  health_->add(kHealthz, "plugins", [this] {
    std::string bad;
    for (const auto& line : services_.unhealthyInstances()) bad += (bad.empty() ? "" : "; ") + line;
    return bad;
  });
}

std::unique_ptr<SecureServer> ServingSetup::start() {
  addHealthChecks();
  const auto& ss = cfg_.host.secure_serving;
  const auto& an = cfg_.host.authentication;
  const auto& az = cfg_.host.authorization;

  // --authentication-kubeconfig / --authorization-kubeconfig, when given, replace the main
  // kubeconfig for TokenReview+ConfigMap and SubjectAccessReview respectively.
  auto clientFor = [this](const std::string& kubeconfig) {
    return kubeconfig.empty() ? reviewClient(rest_) : reviewClient(cluster::load_kubeconfig(kubeconfig));
  };
  auto client = clientFor(an.kubeconfig);
  auto authz_client = az.kubeconfig == an.kubeconfig ? client : clientFor(az.kubeconfig);
  AuthenticationFlags flags;
  flags.client_ca_file = an.client_ca_file;
  flags.requestheader_client_ca_file = an.requestheader.client_ca_file;
  flags.requestheader_allowed_names = an.requestheader.allowed_names;
  flags.requestheader_username_headers = an.requestheader.username_headers;
  flags.requestheader_group_headers = an.requestheader.group_headers;
  flags.requestheader_extra_headers_prefix = an.requestheader.extra_headers_prefix;
  flags.skip_lookup = an.skip_lookup;
  flags.tolerate_lookup_failure = an.tolerate_lookup_failure;
  auto holder = std::make_shared<AuthenticationConfigHolder>();
  auth_loader_ = std::make_unique<AuthConfigLoader>(flags, std::make_shared<HttpConfigMapSource>(client), holder);
  auth_loader_->load_initial();
  auth_loader_->start();

  auto tokens = std::make_shared<TokenAuthenticator>(std::make_shared<HttpTokenReviewer>(client),
                                                     ms(an.token_webhook_cache_ttl));
  AuthorizationOptions authz;
  authz.always_allow_paths = az.always_allow_paths;
  authz.authorized_ttl = ms(az.webhook_cache_authorized_ttl);
  authz.unauthorized_ttl = ms(az.webhook_cache_unauthorized_ttl);

  ServingOptions options;
  options.bind_address = ss.bind_address;
  options.secure_port = ss.secure_port;
  options.tls_cert_file = ss.tls_cert_file;
  options.tls_private_key_file = ss.tls_private_key_file;
  options.cert_dir = ss.cert_dir;
  options.self_signed_dns_names = {"localhost", "metrics-server", "metrics-server.kube-system",
                                   "metrics-server.kube-system.svc"};
  options.tls.min_version = ss.tls_min_version;
  options.tls.cipher_suites = ss.tls_cipher_suites;
  options.max_requests_inflight = ss.max_requests_inflight;
  options.heapster_port = cfg_.host.heapster_port;

  ServingDeps deps;
  deps.authenticator = std::make_shared<Authenticator>(holder, tokens);
  deps.authorizer = std::make_shared<Authorizer>(authz, std::make_shared<HttpAccessReviewer>(authz_client));
  deps.routes = routes_;
  deps.health = health_;
  deps.metrics_text = [this] { return metrics_.exposition(); };
  deps.log = [](int level, const std::string& message) {
    spdlog::log(level >= KMETRICS_LOG_ERROR  ? spdlog::level::err
                : level >= KMETRICS_LOG_WARN ? spdlog::level::warn
                : level >= KMETRICS_LOG_INFO ? spdlog::level::info
                                             : spdlog::level::debug,
                "{}", message);
  };
  auto server = std::make_unique<SecureServer>(options, deps);
  server->start();
  return server;
}

}  // namespace kmetrics
