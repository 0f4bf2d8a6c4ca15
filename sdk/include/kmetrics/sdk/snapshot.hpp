// Snapshot: an immutable view of computed metrics, released when the object goes out of scope.
// THREADING: one Snapshot may be read from many threads; reads never block the scraper.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

class Snapshot {
 public:
  Snapshot(const kmetrics_host_api* api, void* ctx) : api_(api), ctx_(ctx), s_(api->snapshot_acquire(ctx)) {}
  ~Snapshot() {
    if (s_ != nullptr) {
      api_->snapshot_release(ctx_, s_);
    }
  }
  Snapshot(Snapshot&& o) noexcept : api_(o.api_), ctx_(o.ctx_), s_(o.s_) { o.s_ = nullptr; }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  Snapshot& operator=(Snapshot&&) = delete;

  bool ready() const { return api_->snapshot_ready(ctx_, s_) != 0; }

  std::optional<kmetrics_usage> node(std::string_view name) const {
    kmetrics_usage u{};
    if (api_->snapshot_node(ctx_, s_, toStr(name), &u) != KMETRICS_OK) {
      return std::nullopt;
    }
    return u;
  }

  // `fn(name, usage)` returns false to stop.
  void forEachNode(const std::function<bool(std::string_view, const kmetrics_usage&)>& fn) const {
    auto tramp = [](void* user, kmetrics_str n, const kmetrics_usage* u) -> int {
      return (*static_cast<const std::function<bool(std::string_view, const kmetrics_usage&)>*>(user))(view(n), *u) ? 0 : 1;
    };
    api_->snapshot_for_each_node(ctx_, s_, const_cast<void*>(static_cast<const void*>(&fn)), tramp);
  }

  // Calls `fn` with the pod if it has metrics; returns whether it did.
  bool pod(std::string_view ns, std::string_view name,
           const std::function<void(const kmetrics_pod_usage&)>& fn) const {
    auto tramp = [](void* user, const kmetrics_pod_usage* p) -> int {
      (*static_cast<const std::function<void(const kmetrics_pod_usage&)>*>(user))(*p);
      return 0;
    };
    return api_->snapshot_pod(ctx_, s_, toStr(ns), toStr(name), const_cast<void*>(static_cast<const void*>(&fn)), tramp) == KMETRICS_OK;
  }

  // Pods of `ns` ("" = all); `fn` returns false to stop.
  void forEachPod(std::string_view ns, const std::function<bool(const kmetrics_pod_usage&)>& fn) const {
    auto tramp = [](void* user, const kmetrics_pod_usage* p) -> int {
      return (*static_cast<const std::function<bool(const kmetrics_pod_usage&)>*>(user))(*p) ? 0 : 1;
    };
    api_->snapshot_for_each_pod(ctx_, s_, toStr(ns), const_cast<void*>(static_cast<const void*>(&fn)), tramp);
  }

  // History of one series, oldest first; false when unknown.
  bool history(std::string_view entity, std::string_view series,
               const std::function<void(const kmetrics_history_point*, size_t)>& fn) const {
    auto tramp = [](void* user, const kmetrics_history_point* p, size_t n) {
      (*static_cast<const std::function<void(const kmetrics_history_point*, size_t)>*>(user))(p, n);
    };
    return api_->snapshot_history(ctx_, s_, toStr(entity), toStr(series), const_cast<void*>(static_cast<const void*>(&fn)), tramp) == KMETRICS_OK;
  }

 private:
  const kmetrics_host_api* api_;
  void* ctx_;
  kmetrics_snapshot* s_;
};

}  // namespace kmetrics::sdk
