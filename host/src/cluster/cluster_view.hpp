// ClusterView: the host's knowledge of the cluster — nodes (filtered by --node-selector) and running
// pods (fieldSelector status.phase=Running), kept current by two list+watch loops (Reflector) against
// the API server, published as immutable ClusterSnapshots.
//
// Publication: the watch threads apply decoded objects to a writer-side ClusterState (a mutex held
// only for in-memory updates, never during I/O); a publisher thread turns pending changes into a new
// snapshot at most every `publish_interval` (200 ms), rebuilding only changed pod shards (see
// cluster_snapshot.hpp). A completed list is published at once, so synced() turns true promptly;
// after that publication the publisher calls malloc_trim(0), so the heap that the objects a relist
// replaced held goes back to the OS instead of staying in malloc's arenas.
// Readers call snapshot() (one atomic shared_ptr load) and never block writers.
//
// Pods that leave Running arrive as DELETED on the filtered watch; a MODIFIED/ADDED object whose
// phase is not Running is removed too. Pods are not filtered by the node selector (as in
// metrics-server, the selector restricts nodes only).
//
// Lifecycle: construct -> start() -> ... -> stop() (idempotent; also from the destructor). stop()
// shuts the watch sockets down and wakes backoff sleeps, so threads exit within milliseconds; it waits
// at most `stop_timeout` and then detaches stragglers (which own everything they touch).
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cluster/api_client.hpp"
#include "cluster/cluster_snapshot.hpp"
#include "cluster/label_selector.hpp"
#include "cluster/reflector.hpp"

namespace kmetrics::cluster {

struct ClusterViewOptions {
  LabelSelector node_selector;  // --node-selector; empty: all nodes
  std::chrono::milliseconds publish_interval = std::chrono::milliseconds(200);
  ReflectorOptions reflector;
  std::chrono::milliseconds stop_timeout = std::chrono::seconds(5);
};

struct ClusterViewStats {
  uint64_t node_lists = 0, pod_lists = 0;
  uint64_t relists = 0;         // after 410 Gone
  uint64_t watch_restarts = 0;  // watch streams re-opened, for any reason
  uint64_t errors = 0;          // failed requests / broken streams
  uint64_t events = 0;          // watch events applied
  uint64_t bad_objects = 0;     // objects skipped because they could not be decoded
  uint64_t publications = 0;    // snapshots published
};

class ClusterView {
 public:
  explicit ClusterView(std::shared_ptr<ApiClient> api, ClusterViewOptions options = {});
  ~ClusterView();
  ClusterView(const ClusterView&) = delete;
  ClusterView& operator=(const ClusterView&) = delete;

  void start();  // idempotent
  void stop();   // idempotent

  // Never null; empty and not synced before the first lists.
  std::shared_ptr<const ClusterSnapshot> snapshot() const;
  bool synced() const { return snapshot()->synced(); }
  // True once synced; false after `timeout` or stop().
  bool wait_for_sync(std::chrono::milliseconds timeout) const;

  ClusterViewStats stats() const;
  // "nodes: <error>; pods: <error>" for the last failed attempts, "" when both loops are healthy.
  std::string last_error() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kmetrics::cluster
