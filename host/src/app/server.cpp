#include "app/server.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/cluster_adapter.hpp"
#include "app/host_services.hpp"
#include "app/plugin_instances.hpp"
#include "app/scrape_cycle.hpp"
#include "app/serving_setup.hpp"
#include "cluster/cluster_view.hpp"
#include "cluster/in_cluster.hpp"
#include "cluster/kubeconfig.hpp"
#include "cluster/kubelet_profile.hpp"
#include "http/http_client.hpp"
#include "loader/plugin_dirs.hpp"
#include "loader/plugin_registry.hpp"
#include "log/logging.hpp"
#include "metrics/self_metrics.hpp"
#include "scheduler/fiber_pool.hpp"
#include "scheduler/thread_priority.hpp"
#include "scheduler/ticker.hpp"
#include "scheduler/worker_pool.hpp"
#include "serving/secure_server.hpp"
#include "store/store.hpp"

namespace kmetrics {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// While bootstrapping, tick this often so metrics are served seconds after start
// (metrics-server waits a whole resolution for the second point). See ScrapeCycle::tick.
constexpr std::chrono::nanoseconds kBootstrapPeriod = 1s;
// Concurrent per-node scrapes, on threads for plugins that block their own way and as fibers for
// those that wait only in the host (KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE). Requests have deadlines:
// a hung kubelet holds one worker or fiber for at most --kubelet-request-timeout.
constexpr size_t kScrapeWorkers = 64;
// Fiber threads: one per core, at most 4 (a scrape is mostly waiting; more threads would only add
// wake-ups). Each thread runs kScrapeWorkers / threads fibers, so concurrency stays the same.
size_t scrapeFiberThreads() { return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4); }
// Nice value of the scrape workers and the ticker (store apply): API requests preempt them, and a
// tick has its whole deadline to finish (thread_priority.hpp).
constexpr int kScrapeNice = 10;

cluster::RestConfig loadRestConfig(const config::HostConfig& cfg) {
  if (!cfg.host.kubeconfig.empty()) {
    return cluster::load_kubeconfig(cfg.host.kubeconfig);
  }
  return cluster::load_in_cluster();
}

cluster::KubeletClientFlags kubeletFlags(const config::KubeletClientConfig& k) {
  return {k.certificate_authority, k.insecure_tls, k.client_certificate, k.client_key, k.completely_insecure};
}

bool configuredSinksWantExtended(const PluginRegistry& registry, const config::HostConfig& cfg) {
  for (const auto& sink : cfg.sinks) {
    const ComponentFactory* f = registry.find(sink.type);
    if (f != nullptr && componentWantsExtended(f->component())) return true;
  }
  return false;
}

}  // namespace

void blockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Server::Server(config::HostConfig config, std::vector<std::string> notices)
    : config_(std::move(config)), notices_(std::move(notices)) {}

int Server::main(const std::vector<std::string>&) {
  const auto& cfg = config_;
  for (const auto& n : notices_) spdlog::info("{}", n);
  spdlog::info("kmetrics {} starting: resolution {}s, {} source(s), {} sink(s)", KMETRICS_HOST_VERSION,
               std::chrono::duration<double>(cfg.host.metric_resolution).count(), cfg.sources.size(), cfg.sinks.size());

  // Loader: every problem is logged; instances of missing types fail below with a precise error.
  PluginRegistry registry;
  registry.loadSearchPath(defaultPluginDirs(), /*required=*/false);
  std::vector<std::filesystem::path> extra(cfg.host.plugin_dirs.begin(), cfg.host.plugin_dirs.end());
  registry.loadSearchPath(extra, /*required=*/true);
  for (const auto& e : registry.errors()) spdlog::error("plugin refused: {}", e.toString());
  for (const auto& p : registry.plugins()) {
    spdlog::info("plugin {} {} from {} ({})", p.name, p.version, p.file, p.build_info);
  }

  // Cluster access: API server client, HTTP client profiles, the watched cluster view.
  std::unique_ptr<cluster::ClusterView> view;
  std::unique_ptr<http::HttpClient> http_client;
  std::shared_ptr<cluster::ApiClient> api;
  cluster::RestConfig rest;
  try {
    rest = loadRestConfig(cfg);
    http_client = std::make_unique<http::HttpClient>(cluster::make_http_client_options(rest, kubeletFlags(cfg.kubelet)));
    api = std::make_shared<cluster::ApiClient>(rest);
    cluster::ClusterViewOptions view_options;
    view_options.node_selector = cluster::LabelSelector::parse(cfg.host.node_selector);
    view = std::make_unique<cluster::ClusterView>(api, view_options);
  } catch (const std::exception& e) {
    spdlog::critical("cannot reach the cluster: {}", e.what());
    return EXIT_CONFIG;
  }
  ClusterAdapter cluster_access(*view);

  // History (heapster-style series) costs ~80 KiB per node: keep it only when a sink reads it.
  HistoryOptions history;
  history.enabled = configuredSinksWantExtended(registry, cfg);
  Store store(cfg.host.metric_resolution, history);
  SelfMetrics metrics;
  auto routes = std::make_shared<RouteRegistry>();
  HostServices services({&metrics, &store, &cluster_access, http_client.get(), routes.get()});

  // Instances: sinks first, then sources (every config error of every instance is reported).
  PluginInstances instances(registry, services);
  if (!instances.create(cfg)) {
    return EXIT_CONFIG;
  }

  std::atomic<bool> shutting_down{false};
  std::atomic<int64_t> last_tick_start_ns{0};
  std::unique_ptr<SecureServer> server;
  // Lives until return: the server's health checks and auth refresher belong to it.
  auto serving = std::make_unique<ServingSetup>(cfg, rest, routes, metrics, store, *view, services, shutting_down,
                                                last_tick_start_ns);
  try {
    view->start();
    if (!instances.startSinks()) return EXIT_SOFTWARE;
    server = serving->start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start serving: {}", e.what());
    instances.shutdownAll(Clock::now() + 5s);
    view->stop();
    return EXIT_SOFTWARE;
  }
  if (!instances.startSources()) {
    server->stop();
    instances.shutdownAll(Clock::now() + 5s);
    view->stop();
    return EXIT_SOFTWARE;
  }

  // Scheduler: bounded executors for per-node scrapes (threads only when a plugin needs them), a
  // ticker at the resolution.
  const std::vector<ScrapeSource> sources = instances.scrapeSources();
  std::optional<WorkerPool> threads;
  if (ScrapeExecutors::needsThreads(sources)) threads.emplace(kScrapeWorkers, 1'000'000, kScrapeNice);
  const size_t fiber_threads = scrapeFiberThreads();
  FiberPool fibers({fiber_threads, kScrapeWorkers / fiber_threads, 1'000'000, kScrapeNice});
  ScrapeOptions scrape_options{cfg.host.metric_resolution, cfg.kubelet.request_timeout, instances.wantExtended(),
                               std::min<std::chrono::nanoseconds>(kBootstrapPeriod, cfg.host.metric_resolution)};
  ScrapeCycle cycle(scrape_options, sources, cluster_access, ScrapeExecutors{threads ? &*threads : nullptr, &fibers},
                    store, instances.pushWorkers(), metrics);
  Ticker ticker(
      [&]() -> std::chrono::nanoseconds { return cycle.period(); },
      [&](Clock::time_point start) {
        static thread_local const bool lowered = set_current_thread_nice(kScrapeNice);  // once, on the ticker thread
        (void)lowered;
        last_tick_start_ns.store(std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count());
        // Scraping needs the node list only; pods (for the API's labels) may still be listing.
        if (!view->snapshot()->nodes_synced()) {
          const std::string why = view->last_error();
          spdlog::info("waiting for the node list before scraping{}", why.empty() ? "" : ": " + why);
          return;
        }
        cycle.tick(start);
      });
  ticker.start();
  spdlog::info("kmetrics serving on port {} ({} scrape fibers on {} threads{})", server->secure_port(),
               fibers.concurrency(), fibers.threads(),
               threads ? ", " + std::to_string(threads->threads()) + " scrape threads" : "");

  waitForTerminationRequest();

  // Shutdown in reverse order, bounded by the deadline.
  const auto deadline = Clock::now() + cfg.host.shutdown_deadline;
  spdlog::info("shutting down (deadline {}s)", std::chrono::duration<double>(cfg.host.shutdown_deadline).count());
  shutting_down = true;
  if (cfg.host.shutdown_delay > std::chrono::nanoseconds::zero()) {
    std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(cfg.host.shutdown_delay, deadline - Clock::now()));
  }
  ticker.stop();
  fibers.stop();
  if (threads) threads->stop();
  instances.shutdownSources(deadline);
  instances.shutdownPushWorkers(deadline);
  server->stop();
  instances.shutdownSinks(deadline);
  view->stop();
  spdlog::info("stopped");
  return EXIT_OK;
}

}  // namespace kmetrics
