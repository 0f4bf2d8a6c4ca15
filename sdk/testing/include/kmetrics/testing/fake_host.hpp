// FakeHost: an in-memory kmetrics_host_api for plugin tests. Header-only, installed with the SDK.
//
//   kmetrics::testing::FakeHost host;
//   host.addNode({.name = "node-1", .addresses = {{"InternalIP", "10.0.0.1"}}});
//   component->create(host.api(), host.ctx(), name, config, diag, &instance);
//   ...
//   component->shutdown(instance, deadline);
//   host.markShutdown();          // from now on every host call is a recorded violation
//   component->destroy(instance);
//   EXPECT_TRUE(host.callsAfterShutdown().empty());
//
// What it does: logs go to a vector; the clocks are fixed and moved by the test; metrics are
// recorded in maps; the cluster view is the nodes and pods the test added (the 1.1 lookups scan
// them; useAbi10Table() presents a 1.0 host without them); snapshots are empty and never ready; HTTP
// answers UNIMPLEMENTED unless the test installs a handler; routes are recorded.
// THREADING: every host function is thread-safe; no lock is held while a plugin callback runs.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmetrics/abi.h"

namespace kmetrics::testing {

struct FakeNode {
  std::string name;
  std::vector<std::pair<std::string, std::string>> addresses;  // (type, address)
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  int32_t kubelet_port = 10250;
  bool ready = true;
};

struct FakeContainer {
  std::string name;
  uint64_t cpu_request_millicores = 0, cpu_limit_millicores = 0;
  uint64_t memory_request_bytes = 0, memory_limit_bytes = 0;
};

struct FakePod {
  std::string pod_namespace;
  std::string name;
  std::string node;
  std::map<std::string, std::string> labels;
  std::vector<FakeContainer> containers;
  int64_t creation_unix_ns = 0;
};

struct LogLine {
  kmetrics_log_level level;
  std::string message;
};

struct FakeMetric {
  kmetrics_metric_kind kind = KMETRICS_METRIC_COUNTER;
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  // Key: label values joined with ',' in registration order ("" without labels).
  std::map<std::string, double> values;                     // counters (sum), gauges (last)
  std::map<std::string, std::vector<double>> observations;  // histograms
};

struct FakeRoute {
  kmetrics_listener listener;
  std::string path_prefix;
  kmetrics_route_handler handler;
  void* plugin_user;
};

struct FakeHttpRequest {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t deadline_mono_ns = 0;
  kmetrics_http_profile profile = KMETRICS_HTTP_PROFILE_PLAIN;
};

struct FakeHttpResponse {
  kmetrics_status error = KMETRICS_OK;  // non-OK: transport failure, `error_message` is reported
  std::string error_message;
  int32_t status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class FakeHost {
 public:
  static constexpr int64_t kDefaultNowUnixNs = 1'700'000'000'000'000'000;
  static constexpr int64_t kDefaultNowMonoNs = 1'000'000'000'000;

  FakeHost() {
    api_.struct_size = sizeof(kmetrics_host_api);
    api_.abi_major = KMETRICS_ABI_VERSION_MAJOR;
    api_.abi_minor = KMETRICS_ABI_VERSION_MINOR;
    api_.host_version = {kHostVersion, sizeof(kHostVersion) - 1};
    api_.log = &FakeHost::log;
    api_.log_enabled = &FakeHost::logEnabled;
    api_.now_unix_ns = &FakeHost::nowUnixNs;
    api_.now_mono_ns = &FakeHost::nowMonoNs;
    api_.metric_register = &FakeHost::metricRegister;
    api_.metric_record = &FakeHost::metricRecord;
    api_.metric_remove = &FakeHost::metricRemove;
    api_.cluster_for_each_node = &FakeHost::forEachNode;
    api_.cluster_for_each_pod = &FakeHost::forEachPod;
    api_.cluster_synced = &FakeHost::clusterSynced;
    api_.snapshot_acquire = &FakeHost::snapshotAcquire;
    api_.snapshot_release = &FakeHost::snapshotRelease;
    api_.snapshot_ready = &FakeHost::snapshotReady;
    api_.snapshot_node = &FakeHost::snapshotNode;
    api_.snapshot_for_each_node = &FakeHost::snapshotForEachNode;
    api_.snapshot_pod = &FakeHost::snapshotPod;
    api_.snapshot_for_each_pod = &FakeHost::snapshotForEachPod;
    api_.snapshot_history = &FakeHost::snapshotHistory;
    api_.http_request = &FakeHost::httpRequest;
    api_.route_register = &FakeHost::routeRegister;
    api_.set_health = &FakeHost::setHealth;
    api_.cluster_find_node = &FakeHost::findNode;
    api_.cluster_find_pod = &FakeHost::findPod;
    api_.cluster_for_each_pod_with_label = &FakeHost::forEachPodWithLabel;
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  // What to pass to create.
  const kmetrics_host_api* api() const { return &api_; }
  void* ctx() { return this; }

  // ---- set up ----------------------------------------------------------------------------------
  void addNode(FakeNode n) {
    std::lock_guard l(mu_);
    nodes_.push_back(std::move(n));
  }
  void addPod(FakePod p) {
    std::lock_guard l(mu_);
    pods_.push_back(std::move(p));
  }
  void setSynced(bool synced) { synced_ = synced; }
  // Presents the table of an ABI 1.0 host: abi_minor 0 and a struct_size that ends before the
  // entries added in 1.1 (which are also cleared). Call before create.
  void useAbi10Table() {
    api_.abi_minor = 0;
    api_.struct_size = offsetof(kmetrics_host_api, cluster_find_node);
    api_.cluster_find_node = nullptr;
    api_.cluster_find_pod = nullptr;
    api_.cluster_for_each_pod_with_label = nullptr;
  }
  void setNowUnixNs(int64_t ns) { now_unix_ns_ = ns; }
  void setNowMonoNs(int64_t ns) { now_mono_ns_ = ns; }
  // Moves both clocks forward.
  void advance(int64_t ns) {
    now_unix_ns_ += ns;
    now_mono_ns_ += ns;
  }
  // Lines below `level` are reported as disabled and not recorded.
  void setLogLevel(kmetrics_log_level level) { log_level_ = level; }
  void setHttpHandler(std::function<FakeHttpResponse(const FakeHttpRequest&)> handler) {
    std::lock_guard l(mu_);
    http_handler_ = std::move(handler);
  }

  // From now on every host call is a violation (call right after the instance's shutdown
  // returned). clearShutdown() re-arms for a new instance.
  void markShutdown() { shut_down_ = true; }
  void clearShutdown() { shut_down_ = false; }

  // ---- observe ---------------------------------------------------------------------------------
  std::vector<LogLine> logs() const {
    std::lock_guard l(mu_);
    return logs_;
  }
  // True if some log line contains `needle`.
  bool logged(std::string_view needle) const {
    std::lock_guard l(mu_);
    return std::any_of(logs_.begin(), logs_.end(), [&](const LogLine& line) {
      return line.message.find(needle) != std::string::npos;
    });
  }
  // Names of host functions called after markShutdown(), in order.
  std::vector<std::string> callsAfterShutdown() const {
    std::lock_guard l(mu_);
    return after_shutdown_;
  }
  // Total host calls (any function).
  uint64_t callCount() const { return calls_; }
  // Calls of one host function, by its field name in kmetrics_host_api ("cluster_find_pod").
  uint64_t callCount(const std::string& fn) const {
    std::lock_guard l(mu_);
    auto it = calls_by_name_.find(fn);
    return it == calls_by_name_.end() ? 0 : it->second;
  }
  std::optional<FakeMetric> metric(const std::string& name) const {
    std::lock_guard l(mu_);
    for (const auto& m : metrics_) {
      if (m->name == name) {
        return *m;
      }
    }
    return std::nullopt;
  }
  std::vector<FakeRoute> routes() const {
    std::lock_guard l(mu_);
    return routes_;
  }
  std::vector<FakeHttpRequest> httpRequests() const {
    std::lock_guard l(mu_);
    return http_requests_;
  }
  // The last set_health call: (healthy, reason); nullopt if never called.
  std::optional<std::pair<bool, std::string>> health() const {
    std::lock_guard l(mu_);
    return health_;
  }
  // Snapshots acquired and not yet released.
  int64_t snapshotsHeld() const { return snapshots_held_; }

 private:
  static constexpr char kHostVersion[] = "fake-host";

  static std::string copy(kmetrics_str s) {
    return s.ptr == nullptr ? std::string() : std::string(s.ptr, s.len);
  }
  static kmetrics_str str(const std::string& s) { return {s.data(), s.size()}; }
  static void report(const kmetrics_diag* d, const std::string& msg) {
    if (d != nullptr && d->report != nullptr) {
      d->report(d->user, kmetrics_str{"", 0}, str(msg));
    }
  }
  static std::string joinLabels(const kmetrics_str* values, size_t n) {
    std::string key;
    for (size_t i = 0; i < n; ++i) {
      key += (i == 0 ? "" : ",") + copy(values[i]);
    }
    return key;
  }
  static bool validMetricName(const std::string& n) {
    if (n.empty()) {
      return false;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      const char c = n[i];
      const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
      if (!alpha && !(i > 0 && c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  // Every host function starts here: counts the call and records a violation after shutdown.
  static FakeHost& enter(void* ctx, const char* fn) {
    auto& self = *static_cast<FakeHost*>(ctx);
    ++self.calls_;
    std::lock_guard l(self.mu_);
    ++self.calls_by_name_[fn];
    if (self.shut_down_) {
      self.after_shutdown_.emplace_back(fn);
    }
    return self;
  }

  static void log(void* ctx, kmetrics_log_level level, kmetrics_str message) {
    auto& self = enter(ctx, "log");
    if (level < self.log_level_) {
      return;
    }
    std::lock_guard l(self.mu_);
    self.logs_.push_back({level, copy(message)});
  }
  static int logEnabled(void* ctx, kmetrics_log_level level) {
    return level >= enter(ctx, "log_enabled").log_level_ ? 1 : 0;
  }
  static int64_t nowUnixNs(void* ctx) { return enter(ctx, "now_unix_ns").now_unix_ns_; }
  static int64_t nowMonoNs(void* ctx) { return enter(ctx, "now_mono_ns").now_mono_ns_; }

  static kmetrics_metric* metricRegister(void* ctx, kmetrics_metric_kind kind, kmetrics_str name,
                                         kmetrics_str help, const kmetrics_str* label_names,
                                         size_t label_count, const double*, size_t,
                                         const kmetrics_diag* diag) {
    auto& self = enter(ctx, "metric_register");
    const std::string n = copy(name);
    if (!validMetricName(n)) {
      report(diag, "invalid metric name \"" + n + "\"");
      return nullptr;
    }
    std::vector<std::string> labels;
    for (size_t i = 0; i < label_count; ++i) {
      labels.push_back(copy(label_names[i]));
    }
    std::lock_guard l(self.mu_);
    for (auto& m : self.metrics_) {
      if (m->name == n) {
        if (m->kind != kind || m->label_names != labels) {
          report(diag, "metric \"" + n + "\" is already registered with another kind or labels");
          return nullptr;
        }
        return reinterpret_cast<kmetrics_metric*>(m.get());
      }
    }
    auto m = std::make_unique<FakeMetric>();
    m->kind = kind;
    m->name = n;
    m->help = copy(help);
    m->label_names = std::move(labels);
    self.metrics_.push_back(std::move(m));
    return reinterpret_cast<kmetrics_metric*>(self.metrics_.back().get());
  }
  static void metricRecord(void* ctx, kmetrics_metric* metric, const kmetrics_str* values,
                           size_t n, double value) {
    auto& self = enter(ctx, "metric_record");
    auto* m = reinterpret_cast<FakeMetric*>(metric);
    std::lock_guard l(self.mu_);
    const std::string key = joinLabels(values, n);
    switch (m->kind) {
      case KMETRICS_METRIC_COUNTER: m->values[key] += value; break;
      case KMETRICS_METRIC_GAUGE: m->values[key] = value; break;
      case KMETRICS_METRIC_HISTOGRAM: m->observations[key].push_back(value); break;
    }
  }
  static void metricRemove(void* ctx, kmetrics_metric* metric, const kmetrics_str* values, size_t n) {
    auto& self = enter(ctx, "metric_remove");
    auto* m = reinterpret_cast<FakeMetric*>(metric);
    std::lock_guard l(self.mu_);
    const std::string key = joinLabels(values, n);
    m->values.erase(key);
    m->observations.erase(key);
  }

  static std::vector<kmetrics_label> labels(const std::map<std::string, std::string>& m) {
    std::vector<kmetrics_label> out;
    for (const auto& [k, v] : m) {
      out.push_back({str(k), str(v)});
    }
    return out;
  }
  // Calls fn(user, info) for every node that `keep` accepts until fn returns non-zero; returns
  // whether some node was accepted. No lock is held during fn.
  template <class Keep>
  kmetrics_status visitNodes(Keep keep, void* user, int (*fn)(void*, const kmetrics_node_info*),
                             bool* found = nullptr) {
    std::vector<FakeNode> nodes;
    {
      std::lock_guard l(mu_);
      nodes = nodes_;
    }
    for (const auto& n : nodes) {
      if (!keep(n)) {
        continue;
      }
      if (found != nullptr) {
        *found = true;
      }
      const auto lbl = labels(n.labels);
      const auto ann = labels(n.annotations);
      std::vector<kmetrics_node_address> addrs;
      for (const auto& [type, addr] : n.addresses) {
        addrs.push_back({str(type), str(addr)});
      }
      const kmetrics_node_info info{sizeof(kmetrics_node_info), str(n.name), lbl.data(), lbl.size(),
                                    ann.data(), ann.size(), addrs.data(), addrs.size(),
                                    n.kubelet_port, n.ready ? 1 : 0};
      if (fn(user, &info) != 0) {
        break;
      }
    }
    return KMETRICS_OK;
  }
  // The same for pods.
  template <class Keep>
  kmetrics_status visitPods(Keep keep, void* user, int (*fn)(void*, const kmetrics_pod_info*),
                            bool* found = nullptr) {
    std::vector<FakePod> pods;
    {
      std::lock_guard l(mu_);
      pods = pods_;
    }
    for (const auto& p : pods) {
      if (!keep(p)) {
        continue;
      }
      if (found != nullptr) {
        *found = true;
      }
      const auto lbl = labels(p.labels);
      std::vector<kmetrics_container_resources> cs;
      for (const auto& c : p.containers) {
        cs.push_back({str(c.name), c.cpu_request_millicores, c.cpu_limit_millicores,
                      c.memory_request_bytes, c.memory_limit_bytes});
      }
      const kmetrics_pod_info info{sizeof(kmetrics_pod_info), str(p.pod_namespace), str(p.name),
                                   str(p.node), lbl.data(), lbl.size(), cs.data(), cs.size(),
                                   p.creation_unix_ns};
      if (fn(user, &info) != 0) {
        break;
      }
    }
    return KMETRICS_OK;
  }

  static kmetrics_status forEachNode(void* ctx, void* user,
                                     int (*fn)(void*, const kmetrics_node_info*)) {
    return enter(ctx, "cluster_for_each_node").visitNodes([](const FakeNode&) { return true; }, user, fn);
  }
  static kmetrics_status forEachPod(void* ctx, kmetrics_str ns, void* user,
                                    int (*fn)(void*, const kmetrics_pod_info*)) {
    const std::string want = copy(ns);
    return enter(ctx, "cluster_for_each_pod").visitPods(
        [&](const FakePod& p) { return want.empty() || p.pod_namespace == want; }, user, fn);
  }
  static kmetrics_status findNode(void* ctx, kmetrics_str name, void* user,
                                  int (*fn)(void*, const kmetrics_node_info*)) {
    const std::string want = copy(name);
    bool found = false;
    enter(ctx, "cluster_find_node").visitNodes(
        [&](const FakeNode& n) { return !found && n.name == want; }, user, fn, &found);
    return found ? KMETRICS_OK : KMETRICS_ERR_NOT_FOUND;
  }
  static kmetrics_status findPod(void* ctx, kmetrics_str ns, kmetrics_str name, void* user,
                                 int (*fn)(void*, const kmetrics_pod_info*)) {
    const std::string want_ns = copy(ns), want = copy(name);
    bool found = false;
    enter(ctx, "cluster_find_pod").visitPods(
        [&](const FakePod& p) { return !found && p.pod_namespace == want_ns && p.name == want; }, user, fn,
        &found);
    return found ? KMETRICS_OK : KMETRICS_ERR_NOT_FOUND;
  }
  static kmetrics_status forEachPodWithLabel(void* ctx, kmetrics_str ns, kmetrics_str key,
                                             kmetrics_str value, void* user,
                                             int (*fn)(void*, const kmetrics_pod_info*)) {
    const std::string want_ns = copy(ns), k = copy(key), v = copy(value);
    return enter(ctx, "cluster_for_each_pod_with_label").visitPods(
        [&](const FakePod& p) {
          auto it = p.labels.find(k);
          return (want_ns.empty() || p.pod_namespace == want_ns) && it != p.labels.end() && it->second == v;
        },
        user, fn);
  }
  static int clusterSynced(void* ctx) { return enter(ctx, "cluster_synced").synced_ ? 1 : 0; }

  static kmetrics_snapshot* snapshotAcquire(void* ctx) {
    auto& self = enter(ctx, "snapshot_acquire");
    ++self.snapshots_held_;
    return reinterpret_cast<kmetrics_snapshot*>(&self.empty_snapshot_);
  }
  static void snapshotRelease(void* ctx, kmetrics_snapshot*) {
    --enter(ctx, "snapshot_release").snapshots_held_;
  }
  static int snapshotReady(void* ctx, const kmetrics_snapshot*) {
    enter(ctx, "snapshot_ready");
    return 0;
  }
  static kmetrics_status snapshotNode(void* ctx, const kmetrics_snapshot*, kmetrics_str,
                                      kmetrics_usage*) {
    enter(ctx, "snapshot_node");
    return KMETRICS_ERR_NOT_FOUND;
  }
  static void snapshotForEachNode(void* ctx, const kmetrics_snapshot*, void*, kmetrics_node_usage_fn) {
    enter(ctx, "snapshot_for_each_node");
  }
  static kmetrics_status snapshotPod(void* ctx, const kmetrics_snapshot*, kmetrics_str, kmetrics_str,
                                     void*, kmetrics_pod_usage_fn) {
    enter(ctx, "snapshot_pod");
    return KMETRICS_ERR_NOT_FOUND;
  }
  static void snapshotForEachPod(void* ctx, const kmetrics_snapshot*, kmetrics_str, void*,
                                 kmetrics_pod_usage_fn) {
    enter(ctx, "snapshot_for_each_pod");
  }
  static kmetrics_status snapshotHistory(void* ctx, const kmetrics_snapshot*, kmetrics_str,
                                         kmetrics_str, void*,
                                         void (*)(void*, const kmetrics_history_point*, size_t)) {
    enter(ctx, "snapshot_history");
    return KMETRICS_ERR_NOT_FOUND;
  }

  static kmetrics_status httpRequest(void* ctx, const kmetrics_http_request* request, void* user,
                                     void (*on_response)(void*, const kmetrics_http_response*),
                                     const kmetrics_diag* diag) {
    auto& self = enter(ctx, "http_request");
    FakeHttpRequest r{copy(request->method), copy(request->url), {}, copy(request->body),
                      request->deadline_mono_ns, request->profile};
    for (size_t i = 0; i < request->header_count; ++i) {
      r.headers.emplace_back(copy(request->headers[i].name), copy(request->headers[i].value));
    }
    std::function<FakeHttpResponse(const FakeHttpRequest&)> handler;
    {
      std::lock_guard l(self.mu_);
      self.http_requests_.push_back(r);
      handler = self.http_handler_;
    }
    if (!handler) {
      report(diag, "FakeHost has no HTTP client (install one with setHttpHandler)");
      return KMETRICS_ERR_UNIMPLEMENTED;
    }
    const FakeHttpResponse resp = handler(r);
    if (resp.error != KMETRICS_OK) {
      report(diag, resp.error_message);
      return resp.error;
    }
    std::vector<kmetrics_header> headers;
    for (const auto& [k, v] : resp.headers) {
      headers.push_back({str(k), str(v)});
    }
    const kmetrics_http_response out{sizeof(kmetrics_http_response), resp.status, headers.data(),
                                     headers.size(), str(resp.body)};
    on_response(user, &out);
    return KMETRICS_OK;
  }

  static kmetrics_status routeRegister(void* ctx, kmetrics_listener listener, kmetrics_str prefix,
                                       kmetrics_route_handler handler, void* user,
                                       const kmetrics_diag*) {
    auto& self = enter(ctx, "route_register");
    std::lock_guard l(self.mu_);
    self.routes_.push_back({listener, copy(prefix), handler, user});
    return KMETRICS_OK;
  }
  static void setHealth(void* ctx, int healthy, kmetrics_str reason) {
    auto& self = enter(ctx, "set_health");
    std::lock_guard l(self.mu_);
    self.health_ = std::make_pair(healthy != 0, copy(reason));
  }

  kmetrics_host_api api_{};
  mutable std::mutex mu_;
  std::atomic<uint64_t> calls_{0};
  std::atomic<bool> shut_down_{false};
  std::atomic<bool> synced_{true};
  std::atomic<int64_t> now_unix_ns_{kDefaultNowUnixNs};
  std::atomic<int64_t> now_mono_ns_{kDefaultNowMonoNs};
  std::atomic<int> log_level_{KMETRICS_LOG_TRACE};
  std::atomic<int64_t> snapshots_held_{0};
  char empty_snapshot_ = 0;
  std::vector<FakeNode> nodes_;
  std::vector<FakePod> pods_;
  std::vector<LogLine> logs_;
  std::vector<std::string> after_shutdown_;
  std::map<std::string, uint64_t> calls_by_name_;
  std::vector<std::unique_ptr<FakeMetric>> metrics_;
  std::vector<FakeRoute> routes_;
  std::vector<FakeHttpRequest> http_requests_;
  std::function<FakeHttpResponse(const FakeHttpRequest&)> http_handler_;
  std::optional<std::pair<bool, std::string>> health_;
};

}  // namespace kmetrics::testing
