#include "apiserver/object_store.hpp"

#include <algorithm>

namespace kmetrics::sim {
namespace {

std::string keyOf(const Node& n) { return n.name; }
std::string keyOf(const Pod& p) { return p.ns + "/" + p.name; }

// ObjectStore::listNodes/listPods over `current` (the objects now, by key) and the event history.
// `object`/`previous`: the StoredEvent members holding this kind's object after/before an event.
template <typename T>
std::optional<ObjectStore::Page<T>> readPage(const std::map<std::string, std::shared_ptr<const T>>& current,
                                             const std::deque<StoredEvent>& history,
                                             std::shared_ptr<const T> StoredEvent::*object,
                                             std::shared_ptr<const T> StoredEvent::*previous, uint64_t now,
                                             uint64_t oldest, uint64_t at, const std::string& start, size_t limit,
                                             const std::function<bool(const T&)>& match) {
  if (at == 0) at = now;
  if (at < oldest) return std::nullopt;
  // Objects changed after `at`, as they were at `at` (null: not there yet): the object the earliest
  // later event replaced. Only the changes made while a list is paged through, usually none.
  std::map<std::string, std::shared_ptr<const T>> then;
  auto first = std::partition_point(history.begin(), history.end(),
                                    [&](const StoredEvent& e) { return e.resource_version <= at; });
  for (auto it = first; it != history.end(); ++it) {
    const auto& obj = (*it).*object;  // a deleted object is kept as the event's object
    if (obj) then.emplace(keyOf(*obj), (*it).*previous);
  }

  ObjectStore::Page<T> page;
  page.resource_version = at;
  auto cur = current.lower_bound(start);
  auto old = then.lower_bound(start);
  // The next object that existed at `at`, in key order, merging the two maps; false at the end.
  auto next = [&](const std::string*& key, const std::shared_ptr<const T>*& obj) {
    for (;;) {
      const bool has_cur = cur != current.end(), has_old = old != then.end();
      if (!has_cur && !has_old) return false;
      if (has_old && (!has_cur || old->first <= cur->first)) {
        if (has_cur && cur->first == old->first) ++cur;  // changed later: the old version counts
        const auto& entry = *old++;
        if (!entry.second) continue;  // created later
        key = &entry.first;
        obj = &entry.second;
        return true;
      }
      const auto& entry = *cur++;
      key = &entry.first;
      obj = &entry.second;
      return true;
    }
  };
  const std::string* key = nullptr;
  const std::string* last = nullptr;
  const std::shared_ptr<const T>* obj = nullptr;
  while (next(key, obj)) {
    if (limit > 0 && page.items.size() == limit) {
      page.last_key = *last;  // at least one more object: the client continues after the last one
      break;
    }
    if (match(**obj)) {
      page.items.push_back(*obj);
      last = key;
    }
  }
  return page;
}

}  // namespace

ObjectStore::ObjectStore(ClusterState& state, size_t history_limit)
    : state_(state), history_limit_(history_limit) {
  // Subscribe first, then snapshot: events at or below the snapshot's version are dropped in onEvent.
  std::lock_guard lock(mu_);
  subscription_ = state_.subscribe([this](const ChangeEvent& e) { onEvent(e); });
  ClusterSnapshot snap = state_.snapshot();
  for (auto& n : snap.nodes) {
    std::string key = n.name;  // before the move: the right side of `=` is evaluated first
    nodes_[key] = std::make_shared<const Node>(std::move(n));
  }
  for (auto& p : snap.pods) {
    std::string key = p.ns + "/" + p.name;
    pods_[key] = std::make_shared<const Pod>(std::move(p));
  }
  rv_ = oldest_ = snap.resource_version;
}

ObjectStore::~ObjectStore() { state_.unsubscribe(subscription_); }

void ObjectStore::onEvent(const ChangeEvent& e) {
  {
    std::lock_guard lock(mu_);
    if (e.resource_version <= rv_) return;  // already in the snapshot
    pending_[e.resource_version] = e;
    // Resource versions are contiguous; apply in order as far as they go.
    for (auto it = pending_.find(rv_ + 1); it != pending_.end(); it = pending_.find(rv_ + 1)) {
      applyLocked(it->second);
      pending_.erase(it);
    }
    // Safety valve: never hold more than the history worth of stragglers; skip the gap.
    if (pending_.size() > history_limit_) {
      for (auto it = pending_.begin(); it != pending_.end(); it = pending_.erase(it)) applyLocked(it->second);
    }
  }
  cv_.notify_all();
}

void ObjectStore::applyLocked(const ChangeEvent& e) {
  StoredEvent se{e.type, e.kind, e.resource_version, e.node, nullptr, e.pod, nullptr};
  if (e.kind == ChangeEvent::Kind::kNode) {
    auto it = nodes_.find(e.key);
    if (it != nodes_.end()) se.prev_node = it->second;
    if (e.type == ChangeEvent::Type::kDeleted) {
      if (!se.node) se.node = se.prev_node;
      nodes_.erase(e.key);
    } else if (e.node) {
      nodes_[e.key] = e.node;
    }
  } else {
    auto it = pods_.find(e.key);
    if (it != pods_.end()) se.prev_pod = it->second;
    if (e.type == ChangeEvent::Type::kDeleted) {
      if (!se.pod) se.pod = se.prev_pod;
      pods_.erase(e.key);
    } else if (e.pod) {
      pods_[e.key] = e.pod;
    }
  }
  rv_ = e.resource_version;
  if ((se.node || se.pod)) history_.push_back(std::move(se));
  while (history_.size() > history_limit_) {
    oldest_ = history_.front().resource_version;
    history_.pop_front();
  }
}

ObjectStore::View ObjectStore::view() const {
  std::lock_guard lock(mu_);
  View v;
  v.resource_version = rv_;
  for (const auto& [_, n] : nodes_) v.nodes.push_back(n);
  for (const auto& [_, p] : pods_) v.pods.push_back(p);
  return v;
}

std::optional<ObjectStore::Page<Node>> ObjectStore::listNodes(uint64_t at, const std::string& start, size_t limit,
                                                             const std::function<bool(const Node&)>& match) const {
  std::lock_guard lock(mu_);
  return readPage(nodes_, history_, &StoredEvent::node, &StoredEvent::prev_node, rv_, oldest_, at, start, limit, match);
}

std::optional<ObjectStore::Page<Pod>> ObjectStore::listPods(uint64_t at, const std::string& start, size_t limit,
                                                           const std::function<bool(const Pod&)>& match) const {
  std::lock_guard lock(mu_);
  return readPage(pods_, history_, &StoredEvent::pod, &StoredEvent::prev_pod, rv_, oldest_, at, start, limit, match);
}

std::shared_ptr<const Node> ObjectStore::node(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : it->second;
}

std::shared_ptr<const Pod> ObjectStore::pod(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = pods_.find(ns + "/" + name);
  return it == pods_.end() ? nullptr : it->second;
}

uint64_t ObjectStore::resourceVersion() const {
  std::lock_guard lock(mu_);
  return rv_;
}

uint64_t ObjectStore::oldestWatchable() const {
  std::lock_guard lock(mu_);
  return oldest_;
}

bool ObjectStore::eventsSince(uint64_t since, std::vector<StoredEvent>* out, uint64_t* current) const {
  std::lock_guard lock(mu_);
  *current = rv_;
  if (since < oldest_) return false;
  for (const auto& e : history_) {
    if (e.resource_version > since) out->push_back(e);
  }
  return true;
}

void ObjectStore::waitForChange(uint64_t since, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  const uint64_t gen = generation_;
  cv_.wait_for(lock, timeout, [&] { return rv_ > since || generation_ != gen; });
}

void ObjectStore::wakeAll() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void ObjectStore::compact() {
  {
    std::lock_guard lock(mu_);
    history_.clear();
    oldest_ = rv_;
  }
  cv_.notify_all();
}

}  // namespace kmetrics::sim
