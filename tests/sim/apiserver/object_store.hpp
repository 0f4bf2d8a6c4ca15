// The apiserver's view of the cluster: a mirror of ClusterState kept in resourceVersion order, plus a
// bounded event history that watches replay from. Like the real watch cache, a watch that starts
// before the oldest retained event is told its resourceVersion is too old (410 Expired).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster_state.hpp"

namespace kmetrics::sim {

struct StoredEvent {
  ChangeEvent::Type type;
  ChangeEvent::Kind kind;
  uint64_t resource_version;
  std::shared_ptr<const Node> node, prev_node;  // prev: the object before this event (null if none)
  std::shared_ptr<const Pod> pod, prev_pod;
};

class ObjectStore {
 public:
  ObjectStore(ClusterState& state, size_t history_limit = 4096);
  ~ObjectStore();
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  struct View {
    std::vector<std::shared_ptr<const Node>> nodes;  // sorted by name
    std::vector<std::shared_ptr<const Pod>> pods;    // sorted by namespace, name
    uint64_t resource_version = 0;
  };
  View view() const;

  // One page of a list, read like kube-apiserver's paged etcd range reads: the objects as they were
  // at `at` (0: now), in key order (node name; "namespace/name" for pods), starting at key `start`;
  // those `match` accepts are returned until there are `limit` of them (0: no limit). Older versions
  // are rebuilt from the event history, so every page of a list shows the first page's version.
  template <typename T>
  struct Page {
    std::vector<std::shared_ptr<const T>> items;
    uint64_t resource_version = 0;  // the version the page was read at
    std::string last_key;           // set when more objects remain: the key of the last one examined
  };
  // nullopt when `at` is older than the history (410 Expired).
  std::optional<Page<Node>> listNodes(uint64_t at, const std::string& start, size_t limit,
                                      const std::function<bool(const Node&)>& match) const;
  std::optional<Page<Pod>> listPods(uint64_t at, const std::string& start, size_t limit,
                                    const std::function<bool(const Pod&)>& match) const;
  std::shared_ptr<const Node> node(const std::string& name) const;
  std::shared_ptr<const Pod> pod(const std::string& ns, const std::string& name) const;
  uint64_t resourceVersion() const;
  // Oldest resourceVersion a watch may start from.
  uint64_t oldestWatchable() const;

  // Appends events with resource_version > since to `out` and sets `current` to the store's version
  // they lead up to. False if `since` is older than the history.
  bool eventsSince(uint64_t since, std::vector<StoredEvent>* out, uint64_t* current) const;

  // Blocks until an event newer than `since` exists, `timeout` passes or wakeAll() is called.
  void waitForChange(uint64_t since, std::chrono::milliseconds timeout) const;
  void wakeAll();

  // Drops the whole history: watches from any resourceVersion before now get 410.
  void compact();

 private:
  void onEvent(const ChangeEvent& e);
  void applyLocked(const ChangeEvent& e);

  ClusterState& state_;
  const size_t history_limit_;
  uint64_t subscription_ = 0;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  uint64_t rv_ = 0;
  uint64_t oldest_ = 0;
  std::map<std::string, std::shared_ptr<const Node>> nodes_;
  std::map<std::string, std::shared_ptr<const Pod>> pods_;  // "ns/name"
  std::deque<StoredEvent> history_;
  std::map<uint64_t, ChangeEvent> pending_;  // out-of-order arrivals waiting for the gap to fill
  uint64_t generation_ = 0;                  // bumped by wakeAll so waiters return
};

}  // namespace kmetrics::sim
