// The reflector handlers of the cluster view: decode list items and watch events into ClusterState.
// Separate from cluster_view.cpp so benchmarks and tests can drive exactly the reflector's path.
// Internal to kmetrics_cluster. Not thread-safe: one reflector thread calls a handler.
#pragma once

#include <functional>
#include <memory>

#include "cluster/object_decode.hpp"
#include "cluster/reflector.hpp"
#include "cluster/view_state.hpp"

namespace kmetrics::cluster {

class NodeHandler : public ReflectorHandler {
 public:
  NodeHandler(ClusterState& state, std::function<void()> on_list) : state_(state), on_list_(std::move(on_list)) {}
  void list_begin() override { pending_.clear(); }
  void list_item(const simdjson::dom::element& o) override {
    auto n = std::make_shared<const NodeInfo>(decode_node(o));
    pending_[n->name] = n;
  }
  void list_end() override {
    state_.replace_nodes(std::move(pending_));
    pending_ = {};
    on_list_();
  }
  void list_abort() override { pending_ = {}; }
  void event(WatchEventType t, const simdjson::dom::element& o) override {
    auto n = std::make_shared<const NodeInfo>(decode_node(o));
    if (t == WatchEventType::deleted) {
      state_.delete_node(n->name);
    } else {
      state_.upsert_node(std::move(n));
    }
  }

 private:
  ClusterState& state_;
  std::function<void()> on_list_;
  ClusterState::NodeMap pending_;
};

class PodHandler : public ReflectorHandler {
 public:
  PodHandler(ClusterState& state, std::function<void()> on_list) : state_(state), on_list_(std::move(on_list)) {}
  void list_begin() override { pending_ = std::make_unique<ClusterState::PodList>(); }
  void list_item(const simdjson::dom::element& o) override {
    if (pod_phase(o) != "Running") return;  // the field selector already did this; be defensive
    PodPtr p = decode_pod(o);
    (*pending_)[pod_shard_of(p->namespace_name(), p->name())].push_back(std::move(p));
  }
  void list_end() override {
    state_.replace_pods(std::move(*pending_));
    pending_.reset();
    on_list_();
  }
  void list_abort() override { pending_.reset(); }
  void event(WatchEventType t, const simdjson::dom::element& o) override {
    PodPtr p = decode_pod(o);
    // A pod that stopped running is gone from the view even if the server sends MODIFIED.
    if (t == WatchEventType::deleted || pod_phase(o) != "Running") {
      state_.delete_pod(p->namespace_name(), p->name());
    } else {
      state_.upsert_pod(std::move(p));
    }
  }

 private:
  ClusterState& state_;
  std::function<void()> on_list_;
  std::unique_ptr<ClusterState::PodList> pending_;  // 256 vectors: on the heap, built only while listing
};

}  // namespace kmetrics::cluster
