// What sources write into (Emitter, ScrapeRequest) and what push sinks read (BatchView).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/cluster.hpp"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

// A fresh extended block with its struct_size set.
inline kmetrics_extended makeExtended() {
  kmetrics_extended e{};
  e.struct_size = sizeof(kmetrics_extended);
  return e;
}

// One scrape call's parameters. Borrowed: valid during the scrape call.
class ScrapeRequest {
 public:
  explicit ScrapeRequest(const kmetrics_scrape_request& r) : r_(r) {}

  // The node to scrape, for per-node sources.
  std::optional<NodeView> node() const {
    if (r_.node == nullptr) {
      return std::nullopt;
    }
    return NodeView(*r_.node);
  }
  int64_t deadlineMonoNs() const { return r_.deadline_mono_ns; }
  int64_t nowUnixNs() const { return r_.now_unix_ns; }
  bool wantsExtended() const { return (r_.want & KMETRICS_WANT_EXTENDED) != 0; }

 private:
  const kmetrics_scrape_request& r_;
};

// Emits samples to the host, which copies each one before the call returns.
class Emitter {
 public:
  explicit Emitter(const kmetrics_emitter& e) : e_(e) {}

  void node(std::string_view name, const kmetrics_point& p, const kmetrics_extended* ext = nullptr) const {
    kmetrics_node_sample s{sizeof(s), toStr(name), p, ext};
    e_.emit_node(e_.host_ctx, &s);
  }
  void pod(std::string_view ns, std::string_view name, std::string_view node,
           const kmetrics_extended* ext) const {
    kmetrics_pod_sample s{sizeof(s), toStr(ns), toStr(name), toStr(node), ext};
    e_.emit_pod(e_.host_ctx, &s);
  }
  void container(std::string_view ns, std::string_view pod, std::string_view name, std::string_view node,
                 const kmetrics_point& p, const kmetrics_extended* ext = nullptr) const {
    kmetrics_container_sample s{sizeof(s), toStr(ns), toStr(pod), toStr(name), toStr(node), p, ext};
    e_.emit_container(e_.host_ctx, &s);
  }
  void countDrop(std::string_view reason, uint64_t count = 1) const {
    e_.count_drop(e_.host_ctx, toStr(reason), count);
  }

 private:
  const kmetrics_emitter& e_;
};

// A tick's batch as a push sink receives it. Borrowed: valid during consume only.
class BatchView {
 public:
  explicit BatchView(const kmetrics_batch& b) : b_(b) {}

  int64_t collectedUnixNs() const { return b_.collected_unix_ns; }
  std::span<const kmetrics_node_sample> nodes() const { return {b_.nodes, b_.node_count}; }
  std::span<const kmetrics_pod_sample> pods() const { return {b_.pods, b_.pod_count}; }
  std::span<const kmetrics_container_sample> containers() const {
    return {b_.containers, b_.container_count};
  }

 private:
  const kmetrics_batch& b_;
};

}  // namespace kmetrics::sdk
