#include "app/host_services.hpp"

#include <chrono>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "http/abi_bridge.hpp"
#include "http/http_client.hpp"
#include "metrics/self_metrics.hpp"
#include "serving/route_registry.hpp"
#include "store/history_series.hpp"
#include "store/store.hpp"

namespace kmetrics {
namespace {

std::string_view view(kmetrics_str s) { return s.ptr == nullptr ? std::string_view{} : std::string_view(s.ptr, s.len); }
kmetrics_str str(std::string_view s) { return {s.data(), s.size()}; }

InstanceContext& ctx(void* host_ctx) { return *static_cast<InstanceContext*>(host_ctx); }
const HostSubsystems& subs(void* host_ctx) { return ctx(host_ctx).services->subsystems(); }

void report(const kmetrics_diag* diag, std::string_view path, std::string_view message) {
  if (diag != nullptr && diag->report != nullptr) {
    diag->report(diag->user, str(path), str(message));
  }
}

// A snapshot handed to a plugin: keeps the store's snapshot alive until released.
struct SnapshotHandle {
  std::shared_ptr<const Snapshot> snapshot;
};
const Snapshot& snap(const kmetrics_snapshot* s) { return *reinterpret_cast<const SnapshotHandle*>(s)->snapshot; }

// ---- logging and clocks ----------------------------------------------------------------------

spdlog::level::level_enum toSpdlog(kmetrics_log_level l) {
  switch (l) {
    case KMETRICS_LOG_TRACE: return spdlog::level::trace;
    case KMETRICS_LOG_DEBUG: return spdlog::level::debug;
    case KMETRICS_LOG_INFO: return spdlog::level::info;
    case KMETRICS_LOG_WARN: return spdlog::level::warn;
    case KMETRICS_LOG_ERROR: return spdlog::level::err;
  }
  return spdlog::level::info;
}

void hostLog(void* host_ctx, kmetrics_log_level level, kmetrics_str message) {
  spdlog::log(toSpdlog(level), "[{}] {}", ctx(host_ctx).id, view(message));
}

int hostLogEnabled(void*, kmetrics_log_level level) { return spdlog::should_log(toSpdlog(level)) ? 1 : 0; }

int64_t nowUnix(void*) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t nowMono(void*) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// ---- self-metrics ------------------------------------------------------------------------------

std::vector<std::string_view> values(const kmetrics_str* v, size_t n) {
  std::vector<std::string_view> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(view(v[i]));
  return out;
}

kmetrics_metric* metricRegister(void* host_ctx, kmetrics_metric_kind kind, kmetrics_str name, kmetrics_str help,
                                const kmetrics_str* label_names, size_t label_count, const double* buckets,
                                size_t bucket_count, const kmetrics_diag* diag) {
  std::vector<std::string> labels;
  for (size_t i = 0; i < label_count; ++i) labels.emplace_back(view(label_names[i]));
  std::vector<double> b(buckets, buckets == nullptr ? buckets : buckets + bucket_count);
  const MetricKind k = kind == KMETRICS_METRIC_COUNTER ? MetricKind::kCounter
                       : kind == KMETRICS_METRIC_GAUGE ? MetricKind::kGauge
                                                       : MetricKind::kHistogram;
  std::string error;
  MetricFamily* f = subs(host_ctx).metrics->registerFamily(k, std::string(view(name)), std::string(view(help)), labels,
                                                           b, &error);
  if (f == nullptr) {
    report(diag, view(name), error);
  }
  return reinterpret_cast<kmetrics_metric*>(f);
}

void metricRecord(void*, kmetrics_metric* m, const kmetrics_str* label_values, size_t n, double value) {
  if (m != nullptr) reinterpret_cast<MetricFamily*>(m)->record(values(label_values, n), value);
}

void metricRemove(void*, kmetrics_metric* m, const kmetrics_str* label_values, size_t n) {
  if (m != nullptr) reinterpret_cast<MetricFamily*>(m)->remove(values(label_values, n));
}

// ---- cluster view -----------------------------------------------------------------------------

kmetrics_status clusterForEachNode(void* host_ctx, void* user, int (*fn)(void*, const kmetrics_node_info*)) {
  if (const ClusterAccess* c = subs(host_ctx).cluster) {
    c->forEachNode([&](const kmetrics_node_info& n) { return fn(user, &n) == 0; });
  }
  return KMETRICS_OK;
}

kmetrics_status clusterForEachPod(void* host_ctx, kmetrics_str ns, void* user,
                                  int (*fn)(void*, const kmetrics_pod_info*)) {
  if (const ClusterAccess* c = subs(host_ctx).cluster) {
    c->forEachPod(view(ns), [&](const kmetrics_pod_info& p) { return fn(user, &p) == 0; });
  }
  return KMETRICS_OK;
}

kmetrics_status clusterFindNode(void* host_ctx, kmetrics_str name, void* user,
                                int (*fn)(void*, const kmetrics_node_info*)) {
  if (fn == nullptr) return KMETRICS_ERR_INVALID_ARGUMENT;
  const ClusterAccess* c = subs(host_ctx).cluster;
  const bool found = c != nullptr && c->findNode(view(name), [&](const kmetrics_node_info& n) { fn(user, &n); });
  return found ? KMETRICS_OK : KMETRICS_ERR_NOT_FOUND;
}

kmetrics_status clusterFindPod(void* host_ctx, kmetrics_str ns, kmetrics_str name, void* user,
                               int (*fn)(void*, const kmetrics_pod_info*)) {
  if (fn == nullptr) return KMETRICS_ERR_INVALID_ARGUMENT;
  const ClusterAccess* c = subs(host_ctx).cluster;
  const bool found =
      c != nullptr && c->findPod(view(ns), view(name), [&](const kmetrics_pod_info& p) { fn(user, &p); });
  return found ? KMETRICS_OK : KMETRICS_ERR_NOT_FOUND;
}

kmetrics_status clusterForEachPodWithLabel(void* host_ctx, kmetrics_str ns, kmetrics_str key, kmetrics_str value,
                                           void* user, int (*fn)(void*, const kmetrics_pod_info*)) {
  if (fn == nullptr) return KMETRICS_ERR_INVALID_ARGUMENT;
  if (const ClusterAccess* c = subs(host_ctx).cluster) {
    c->forEachPodWithLabel(view(ns), view(key), view(value),
                           [&](const kmetrics_pod_info& p) { return fn(user, &p) == 0; });
  }
  return KMETRICS_OK;
}

int clusterSynced(void* host_ctx) {
  const ClusterAccess* c = subs(host_ctx).cluster;
  return c != nullptr && c->synced() ? 1 : 0;
}

// ---- snapshots ----------------------------------------------------------------------------------

kmetrics_snapshot* snapshotAcquire(void* host_ctx) {
  return reinterpret_cast<kmetrics_snapshot*>(new SnapshotHandle{subs(host_ctx).store->snapshot()});
}

void snapshotRelease(void*, kmetrics_snapshot* s) { delete reinterpret_cast<SnapshotHandle*>(s); }

int snapshotReady(void*, const kmetrics_snapshot* s) { return snap(s).ready() ? 1 : 0; }

kmetrics_usage toUsage(const NodeMetrics& n) {
  return kmetrics_usage{n.cpu_nanocores, n.memory_bytes, n.timestamp, n.window_ns};
}

kmetrics_status snapshotNode(void*, const kmetrics_snapshot* s, kmetrics_str node, kmetrics_usage* out) {
  const NodeMetrics* n = snap(s).find_node(view(node));
  if (n == nullptr) return KMETRICS_ERR_NOT_FOUND;
  *out = toUsage(*n);
  return KMETRICS_OK;
}

void snapshotForEachNode(void*, const kmetrics_snapshot* s, void* user, kmetrics_node_usage_fn fn) {
  for (const auto& n : snap(s).nodes()) {
    const kmetrics_usage u = toUsage(n);
    if (fn(user, str(n.name), &u) != 0) return;
  }
}

// Calls fn with an ABI view of one pod; returns fn's result.
int withPodUsage(const PodMetrics& p, void* user, kmetrics_pod_usage_fn fn) {
  thread_local std::vector<kmetrics_container_usage> containers;
  containers.clear();
  for (const auto& c : p.containers) {
    containers.push_back({str(c.name), c.cpu_nanocores, c.memory_bytes});
  }
  const kmetrics_pod_usage u{sizeof(kmetrics_pod_usage), str(p.ref.ns), str(p.ref.name), p.timestamp,
                             p.window_ns, containers.data(), containers.size()};
  return fn(user, &u);
}

kmetrics_status snapshotPod(void*, const kmetrics_snapshot* s, kmetrics_str ns, kmetrics_str pod, void* user,
                            kmetrics_pod_usage_fn fn) {
  const PodMetrics* p = snap(s).find_pod(view(ns), view(pod));
  if (p == nullptr) return KMETRICS_ERR_NOT_FOUND;
  withPodUsage(*p, user, fn);
  return KMETRICS_OK;
}

void snapshotForEachPod(void*, const kmetrics_snapshot* s, kmetrics_str ns, void* user, kmetrics_pod_usage_fn fn) {
  const auto pods = view(ns).empty() ? snap(s).pods() : snap(s).pods_in_namespace(view(ns));
  for (const auto& p : pods) {
    if (withPodUsage(p, user, fn) != 0) return;
  }
}

// "node/<name>", "pod/<ns>/<name>", "container/<ns>/<pod>/<name>".
std::optional<EntityKeyView> parseEntity(std::string_view e) {
  auto next = [&](std::string_view& rest) {
    const size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    return part;
  };
  std::string_view rest = e;
  const std::string_view kind = next(rest);
  if (kind == "node" && !rest.empty()) return EntityKeyView::node(rest);
  if (kind == "pod") {
    const std::string_view ns = next(rest);
    if (!ns.empty() && !rest.empty()) return EntityKeyView::pod_of(ns, rest);
  }
  if (kind == "container") {
    const std::string_view ns = next(rest);
    const std::string_view pod = next(rest);
    if (!ns.empty() && !pod.empty() && !rest.empty()) return EntityKeyView::container(ns, pod, rest);
  }
  return std::nullopt;
}

kmetrics_status snapshotHistory(void*, const kmetrics_snapshot* s, kmetrics_str entity, kmetrics_str series, void* user,
                                void (*fn)(void*, const kmetrics_history_point*, size_t)) {
  const auto key = parseEntity(view(entity));
  const auto which = series_from_name(view(series));
  if (!key || !which || !snap(s).history().enabled()) return KMETRICS_ERR_NOT_FOUND;
  const auto points = snap(s).history().read(*key, *which);
  if (points.empty()) return KMETRICS_ERR_NOT_FOUND;
  std::vector<kmetrics_history_point> out;
  out.reserve(points.size());
  const bool is_float = series_is_float(*which);
  for (const auto& p : points) {
    out.push_back({p.timestamp, is_float ? p.float_value : static_cast<double>(p.int_value)});
  }
  fn(user, out.data(), out.size());
  return KMETRICS_OK;
}

// ---- HTTP and routes ---------------------------------------------------------------------------

kmetrics_status httpRequest(void* host_ctx, const kmetrics_http_request* r, void* user,
                            void (*on_response)(void*, const kmetrics_http_response*), const kmetrics_diag* diag) {
  http::HttpClient* client = subs(host_ctx).http;
  if (client == nullptr) {
    report(diag, "", "the host has no HTTP client configured");
    return KMETRICS_ERR_UNAVAILABLE;
  }
  return http::abi_http_request(*client, r, user, on_response, diag);
}

kmetrics_status routeRegister(void* host_ctx, kmetrics_listener listener, kmetrics_str prefix,
                              kmetrics_route_handler handler, void* plugin_user, const kmetrics_diag* diag) {
  RouteRegistry* routes = subs(host_ctx).routes;
  if (routes == nullptr) {
    report(diag, "", "the host serves no HTTP listener");
    return KMETRICS_ERR_UNAVAILABLE;
  }
  std::string error;
  const kmetrics_status st = routes->add(listener, view(prefix), handler, plugin_user, &error);
  if (st != KMETRICS_OK) report(diag, view(prefix), error);
  return st;
}

void setHealth(void* host_ctx, int healthy, kmetrics_str reason) {
  InstanceContext& c = ctx(host_ctx);
  std::lock_guard lock(c.health_mu);
  c.healthy = healthy != 0;
  c.health_reason = std::string(view(reason));
}

}  // namespace

HostServices::HostServices(HostSubsystems subsystems) : subsystems_(subsystems) {
  table_.struct_size = sizeof(kmetrics_host_api);
  table_.abi_major = KMETRICS_ABI_VERSION_MAJOR;
  table_.abi_minor = KMETRICS_ABI_VERSION_MINOR;
  table_.host_version = str(KMETRICS_HOST_VERSION);
  table_.log = hostLog;
  table_.log_enabled = hostLogEnabled;
  table_.now_unix_ns = nowUnix;
  table_.now_mono_ns = nowMono;
  table_.metric_register = metricRegister;
  table_.metric_record = metricRecord;
  table_.metric_remove = metricRemove;
  table_.cluster_for_each_node = clusterForEachNode;
  table_.cluster_for_each_pod = clusterForEachPod;
  table_.cluster_synced = clusterSynced;
  table_.snapshot_acquire = snapshotAcquire;
  table_.snapshot_release = snapshotRelease;
  table_.snapshot_ready = snapshotReady;
  table_.snapshot_node = snapshotNode;
  table_.snapshot_for_each_node = snapshotForEachNode;
  table_.snapshot_pod = snapshotPod;
  table_.snapshot_for_each_pod = snapshotForEachPod;
  table_.snapshot_history = snapshotHistory;
  table_.http_request = httpRequest;
  table_.route_register = routeRegister;
  table_.set_health = setHealth;
  table_.cluster_find_node = clusterFindNode;
  table_.cluster_find_pod = clusterFindPod;
  table_.cluster_for_each_pod_with_label = clusterForEachPodWithLabel;
}

InstanceContext* HostServices::newContext(const std::string& id) {
  std::lock_guard lock(mu_);
  InstanceContext& c = contexts_.emplace_back();
  c.id = id;
  c.services = this;
  return &c;
}

std::vector<std::string> HostServices::unhealthyInstances() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& c : contexts_) {
    std::lock_guard hl(c.health_mu);
    if (!c.healthy) out.push_back(c.id + ": " + c.health_reason);
  }
  return out;
}

}  // namespace kmetrics
