// Host: the services the kmetrics host offers a plugin instance (logging, clock, self-metrics,
// cluster view, snapshots, HTTP client, routes, health), wrapped in C++.
// A Host is a cheap value (two pointers); copies refer to the same instance context.
// THREADING: every method is thread-safe (the host's functions are).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/cluster.hpp"
#include "kmetrics/sdk/diag.hpp"
#include "kmetrics/sdk/http.hpp"
#include "kmetrics/sdk/log.hpp"
#include "kmetrics/sdk/snapshot.hpp"
#include "kmetrics/sdk/status.hpp"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

// A self-metric family registered with the host. Label values are given in registration order.
class Metric {
 public:
  Metric() = default;
  Metric(const kmetrics_host_api* api, void* ctx, kmetrics_metric* m) : api_(api), ctx_(ctx), m_(m) {}

  bool valid() const { return m_ != nullptr; }
  // counter: add `value`; gauge: set to `value`; histogram: observe `value`.
  void record(double value, std::initializer_list<std::string_view> labels = {}) const {
    if (m_ == nullptr) {
      return;
    }
    kmetrics_str values[16];
    size_t n = 0;
    for (auto l : labels) {
      if (n < 16) values[n++] = toStr(l);
    }
    api_->metric_record(ctx_, m_, values, n, value);
  }
  void remove(std::initializer_list<std::string_view> labels) const {
    if (m_ == nullptr) {
      return;
    }
    kmetrics_str values[16];
    size_t n = 0;
    for (auto l : labels) {
      if (n < 16) values[n++] = toStr(l);
    }
    api_->metric_remove(ctx_, m_, values, n);
  }

 private:
  const kmetrics_host_api* api_ = nullptr;
  void* ctx_ = nullptr;
  kmetrics_metric* m_ = nullptr;
};

class Host {
 public:
  Host() = default;
  Host(const kmetrics_host_api* api, void* ctx) : api_(api), ctx_(ctx) {}

  const kmetrics_host_api* api() const { return api_; }
  void* context() const { return ctx_; }
  Logger logger() const { return Logger(api_, ctx_); }

  int64_t nowUnixNs() const { return api_->now_unix_ns(ctx_); }
  int64_t nowMonoNs() const { return api_->now_mono_ns(ctx_); }

  // Registers a metric family; on failure the returned Metric is invalid and `errors` says why.
  Metric registerMetric(kmetrics_metric_kind kind, std::string_view name, std::string_view help,
                        std::vector<std::string_view> label_names,
                        const std::vector<double>& buckets = {},
                        std::vector<Diagnostic>* errors = nullptr) const {
    std::vector<kmetrics_str> names;
    for (auto l : label_names) {
      names.push_back(toStr(l));
    }
    DiagnosticCollector diag;
    kmetrics_metric* m = api_->metric_register(ctx_, kind, toStr(name), toStr(help), names.data(),
                                               names.size(), buckets.empty() ? nullptr : buckets.data(),
                                               buckets.size(), diag.diag());
    if (errors != nullptr) {
      errors->insert(errors->end(), diag.items().begin(), diag.items().end());
    }
    return Metric(api_, ctx_, m);
  }

  // Iterates nodes; `fn` returns false to stop.
  Status forEachNode(const std::function<bool(const NodeView&)>& fn) const {
    return toStatus(api_->cluster_for_each_node(ctx_, userOf(fn), &visit<NodeView, kmetrics_node_info>));
  }

  // Iterates pods of `ns` ("" = all namespaces); `fn` returns false to stop.
  Status forEachPod(std::string_view ns, const std::function<bool(const PodView&)>& fn) const {
    return toStatus(api_->cluster_for_each_pod(ctx_, toStr(ns), userOf(fn), &visit<PodView, kmetrics_pod_info>));
  }

  // The lookups below use the host's indexes (ABI 1.1) and fall back to scanning with
  // forEachNode / forEachPod when the host table lacks them (a 1.0 host).

  // True when findNode, findPod and forEachPodWithLabel are index lookups, false when they scan: a
  // plugin that would look up every object of a large list can iterate instead.
  bool clusterLookupsIndexed() const {
    return KMETRICS_HOST_API_HAS(api_, cluster_find_node) && KMETRICS_HOST_API_HAS(api_, cluster_find_pod) &&
           KMETRICS_HOST_API_HAS(api_, cluster_for_each_pod_with_label);
  }

  // Calls `fn` with the node `name` and returns true; false when the cluster view has no such node
  // (or --node-selector filters it out).
  bool findNode(std::string_view name, const std::function<void(const NodeView&)>& fn) const {
    if (KMETRICS_HOST_API_HAS(api_, cluster_find_node)) {
      return api_->cluster_find_node(ctx_, toStr(name), userOf(fn), &visitOnce<NodeView, kmetrics_node_info>) ==
             KMETRICS_OK;
    }
    bool found = false;
    forEachNode([&](const NodeView& n) {
      if (n.name() != name) return true;
      found = true;
      fn(n);
      return false;
    });
    return found;
  }

  // Calls `fn` with the running pod `ns`/`name` and returns true; false when there is none.
  bool findPod(std::string_view ns, std::string_view name, const std::function<void(const PodView&)>& fn) const {
    if (KMETRICS_HOST_API_HAS(api_, cluster_find_pod)) {
      return api_->cluster_find_pod(ctx_, toStr(ns), toStr(name), userOf(fn),
                                    &visitOnce<PodView, kmetrics_pod_info>) == KMETRICS_OK;
    }
    bool found = false;
    forEachPod(ns, [&](const PodView& p) {
      if (p.ns() != ns || p.name() != name) return true;
      found = true;
      fn(p);
      return false;
    });
    return found;
  }

  // Iterates the pods of `ns` ("" = all namespaces) that have the label `key` with exactly `value`,
  // in no particular order; `fn` returns false to stop.
  Status forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                             const std::function<bool(const PodView&)>& fn) const {
    if (KMETRICS_HOST_API_HAS(api_, cluster_for_each_pod_with_label)) {
      return toStatus(api_->cluster_for_each_pod_with_label(ctx_, toStr(ns), toStr(key), toStr(value), userOf(fn),
                                                            &visit<PodView, kmetrics_pod_info>));
    }
    return forEachPod(ns, [&](const PodView& p) { return p.label(key) != value || fn(p); });
  }

  bool clusterSynced() const { return api_->cluster_synced(ctx_) != 0; }

  Snapshot snapshot() const { return Snapshot(api_, ctx_); }

  // Sends a request; `on_response` sees the borrowed response. Errors (connect, TLS, deadline)
  // come back as a Status with the host's message.
  Status http(const HttpRequest& req, const std::function<void(const HttpResponseView&)>& on_response) const {
    std::vector<kmetrics_header> headers;
    for (const auto& [k, v] : req.headers) {
      headers.push_back({toStr(k), toStr(v)});
    }
    kmetrics_http_request r{sizeof(kmetrics_http_request), toStr(req.method), toStr(req.url),
                            headers.data(), headers.size(), toStr(req.body), req.deadline_mono_ns,
                            req.profile};
    DiagnosticCollector diag;
    auto tramp = [](void* user, const kmetrics_http_response* resp) {
      (*static_cast<const std::function<void(const HttpResponseView&)>*>(user))(HttpResponseView(*resp));
    };
    const kmetrics_status st =
        api_->http_request(ctx_, &r, const_cast<void*>(static_cast<const void*>(&on_response)), tramp, diag.diag());
    return Status(st, diag.empty() ? std::string() : diag.items().front().message);
  }

  // Serves every path under `prefix` on `listener` with `handler` (which must outlive the instance's
  // shutdown). Call during construction or start only.
  Status route(kmetrics_listener listener, std::string_view prefix, RouteHandler* handler) const {
    auto tramp = [](void* user, const kmetrics_route_request* req, const kmetrics_route_response* resp) {
      static_cast<RouteHandler*>(user)->handle(RouteRequest(*req), RouteResponse(*resp));
    };
    DiagnosticCollector diag;
    const kmetrics_status st = api_->route_register(ctx_, listener, toStr(prefix), tramp, handler, diag.diag());
    return Status(st, diag.empty() ? std::string() : diag.items().front().message);
  }

  void setHealth(bool healthy, std::string_view reason = {}) const {
    api_->set_health(ctx_, healthy ? 1 : 0, toStr(reason));
  }

 private:
  static Status toStatus(kmetrics_status s) { return Status(s, s == KMETRICS_OK ? "" : "cluster view error"); }

  // Host callbacks over a std::function passed as `user`: visit (fn returns false to stop) and
  // visitOnce (a lookup's single call).
  template <class Fn>
  static void* userOf(const Fn& fn) {
    return const_cast<void*>(static_cast<const void*>(&fn));
  }
  template <class View, class Info>
  static int visit(void* user, const Info* info) {
    return (*static_cast<const std::function<bool(const View&)>*>(user))(View(*info)) ? 0 : 1;
  }
  template <class View, class Info>
  static int visitOnce(void* user, const Info* info) {
    (*static_cast<const std::function<void(const View&)>*>(user))(View(*info));
    return 0;
  }

  const kmetrics_host_api* api_ = nullptr;
  void* ctx_ = nullptr;
};

}  // namespace kmetrics::sdk
