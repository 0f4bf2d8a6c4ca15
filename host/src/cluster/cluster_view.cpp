#include "cluster/cluster_view.hpp"

#include <malloc.h>
#include <simdjson.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "cluster/list_handlers.hpp"
#include "cluster/view_state.hpp"

namespace kmetrics::cluster {

struct ClusterView::Impl {
  Impl(std::shared_ptr<ApiClient> api_in, ClusterViewOptions opts)
      : api(std::move(api_in)),
        options(std::move(opts)),
        state(options.node_selector),
        node_handler(state, [this] { list_completed(); }),
        pod_handler(state, [this] { list_completed(); }),
        nodes(*api, "/api/v1/nodes", "", node_handler, options.reflector, node_stats),
        pods(*api, "/api/v1/pods", "status.phase=Running", pod_handler, options.reflector, pod_stats) {
    current.store(std::make_shared<const ClusterSnapshot>());
  }

  void request_publish() {
    {
      std::lock_guard lock(mu);
      publish_now = true;
    }
    cv.notify_all();
  }

  void list_completed() {
    trim_after_publish.store(true, std::memory_order_release);
    request_publish();
  }

  void publish_once() {
    const bool trim = trim_after_publish.exchange(false, std::memory_order_acq_rel);
    {
      auto before = current.load();
      auto next = state.publish();  // in-memory only; returns the same pointer when nothing changed
      if (next != before) {
        current.store(next);
        publications.fetch_add(1, std::memory_order_relaxed);
        { std::lock_guard lock(mu); }  // orders the store before waiters re-check
        sync_cv.notify_all();
      }
    }
    // After a (re)list, once the snapshot of the replaced objects is gone (here, unless a reader
    // still holds it), give the freed heap back: glibc keeps freed small blocks in its arenas and
    // never returns pages in the middle of the heap on its own, so the RSS would otherwise stay at
    // the peak of the list for good. Lists are rare; the trim costs milliseconds.
    if (trim) malloc_trim(0);
  }

  void publisher_loop() {
    std::unique_lock lock(mu);
    while (!stopping) {  // wakes at least every publish_interval
      cv.wait_for(lock, options.publish_interval, [&] { return stopping || publish_now; });
      publish_now = false;
      lock.unlock();
      publish_once();
      lock.lock();
    }
  }

  void thread_exited() {
    {
      std::lock_guard lock(mu);
      --running;
    }
    cv.notify_all();
    sync_cv.notify_all();
  }

  std::shared_ptr<ApiClient> api;
  ClusterViewOptions options;
  ClusterState state;
  ReflectorStats node_stats, pod_stats;
  NodeHandler node_handler;
  PodHandler pod_handler;
  Reflector nodes, pods;
  std::atomic<std::shared_ptr<const ClusterSnapshot>> current;
  std::atomic<uint64_t> publications{0};
  std::atomic<bool> trim_after_publish{false};

  mutable std::mutex mu;
  std::condition_variable cv;
  mutable std::condition_variable sync_cv;
  bool stopping = false;
  bool publish_now = false;
  bool started = false;
  int running = 0;
  std::vector<std::thread> threads;
};

ClusterView::ClusterView(std::shared_ptr<ApiClient> api, ClusterViewOptions options)
    : impl_(std::make_shared<Impl>(std::move(api), std::move(options))) {}

ClusterView::~ClusterView() { stop(); }

void ClusterView::start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->started || impl_->stopping) return;
  impl_->started = true;
  // Each thread owns a reference to Impl, so a straggler detached by stop() stays memory-safe.
  auto self = impl_;
  impl_->running = 3;
  impl_->threads.emplace_back([self] {
    self->nodes.run();
    self->thread_exited();
  });
  impl_->threads.emplace_back([self] {
    self->pods.run();
    self->thread_exited();
  });
  impl_->threads.emplace_back([self] {
    self->publisher_loop();
    self->thread_exited();
  });
}

void ClusterView::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
    threads.swap(impl_->threads);
  }
  impl_->cv.notify_all();
  impl_->sync_cv.notify_all();
  impl_->nodes.stop();
  impl_->pods.stop();
  bool all_exited;
  {
    std::unique_lock lock(impl_->mu);
    all_exited = impl_->cv.wait_for(lock, impl_->options.stop_timeout, [&] { return impl_->running == 0; });
  }
  for (auto& t : threads) {
    if (all_exited) {
      t.join();
    } else {
      t.detach();  // bounded stop: the thread holds its own reference to everything it uses
    }
  }
}

std::shared_ptr<const ClusterSnapshot> ClusterView::snapshot() const { return impl_->current.load(); }

bool ClusterView::wait_for_sync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  impl_->sync_cv.wait_for(lock, timeout, [&] { return impl_->stopping || impl_->current.load()->synced(); });
  return impl_->current.load()->synced();
}

ClusterViewStats ClusterView::stats() const {
  ClusterViewStats s;
  auto r = std::memory_order_relaxed;
  const auto& n = impl_->node_stats;
  const auto& p = impl_->pod_stats;
  s.node_lists = n.lists.load(r);
  s.pod_lists = p.lists.load(r);
  s.relists = n.relists.load(r) + p.relists.load(r);
  s.watch_restarts = n.watch_restarts.load(r) + p.watch_restarts.load(r);
  s.errors = n.errors.load(r) + p.errors.load(r);
  s.events = n.events.load(r) + p.events.load(r);
  s.bad_objects = n.bad_objects.load(r) + p.bad_objects.load(r);
  s.publications = impl_->publications.load(r);
  return s;
}

std::string ClusterView::last_error() const {
  std::string n = impl_->nodes.last_error(), p = impl_->pods.last_error();
  std::string out;
  if (!n.empty()) out = "nodes: " + n;
  if (!p.empty()) out += (out.empty() ? "" : "; ") + std::string("pods: ") + p;
  return out;
}

}  // namespace kmetrics::cluster
