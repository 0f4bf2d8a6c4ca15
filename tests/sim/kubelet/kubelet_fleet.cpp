#include "kubelet/kubelet_fleet.hpp"

#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "kubelet/fleet_model.hpp"
#include "kubelet/kubelet_connection.hpp"
#include "kubelet/kubelet_handler.hpp"
#include "kubelet/serving_certs.hpp"
#include "kubelet/time_format.hpp"

namespace kmetrics::sim {

class KubeletFleet::Impl {
 public:
  Impl(ClusterState& state, const CertificateAuthority& ca, FleetOptions opts)
      : state_(state),
        issuer_(ca),
        opts_(std::move(opts)),
        tls_(opts_.client_ca_pem),
        model_(state),
        handler_(state, model_, AuthConfig{opts_.accepted_token, opts_.forbidden_token}) {
    if (opts_.threads < 1) opts_.threads = 1;
    shared_.tls = &tls_;
    shared_.handler = &handler_;
    shared_.limits.idle_timeout_ms = opts_.idle_timeout_ms;
    shared_.limits.request_timeout_ms = opts_.request_timeout_ms;
    shared_.limits.write_timeout_ms = opts_.write_timeout_ms;
    shared_.sync_model = [this] { sync(); };
    shared_.model_has_pending = [this] { return model_.hasPending(); };
  }

  ~Impl() { stop(); }

  void start() {
    std::lock_guard lock(lifecycle_mu_);
    if (started_) return;
    raiseFdLimit();
    // OpenSSL writes with write(2): a client that went away must not kill the process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN);
    // Subscribe before reading, so nothing that happens in between is lost (events re-read state).
    // ClusterState may still run a callback it copied just before unsubscribe() returned, so the
    // callback goes through a guard that outlives this object and is switched off in stop().
    guard_ = std::make_shared<CallbackGuard>();
    guard_->alive = true;
    sub_ = state_.subscribe([this, guard = guard_](const ChangeEvent& e) {
      std::lock_guard g(guard->mu);
      if (!guard->alive) return;
      model_.enqueue(e);
      std::lock_guard l(loops_mu_);
      if (running_ && !loops_.empty()) loops_[0]->loop.post([this] { sync(); });
    });
    model_.loadAll(wallNow());
    model_.applyPending(wallNow());  // events that raced the load; listeners are opened below anyway

    std::vector<Node> nodes = model_.nodes();
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<const TlsIdentity>> ids;
    ids.reserve(nodes.size());
    for (const Node& n : nodes) ids.push_back(identityFor(n));
    cert_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    {
      std::lock_guard l(loops_mu_);
      for (int i = 0; i < opts_.threads; ++i) {
        auto ls = std::make_unique<LoopState>();
        ls->shared = &shared_;
        loops_.push_back(std::move(ls));
      }
    }
    // The loops are not running yet, so their state can be filled from here.
    for (size_t i = 0; i < nodes.size(); ++i) {
      std::string err;
      if (!loopFor(nodes[i].name).openListener(nodes[i].name, nodes[i].internal_ip, nodes[i].kubelet_port, ids[i],
                                              &err)) {
        closeEverything();
        state_.unsubscribe(sub_);
        std::lock_guard g(guard_->mu);
        guard_->alive = false;
        throw std::runtime_error("kubelet fleet: " + err);
      }
    }
    listeners_open_ = nodes.size();
    {
      std::lock_guard l(loops_mu_);
      running_ = true;
      for (auto& ls : loops_) {
        ls->startSweeps();
        LoopState* p = ls.get();
        threads_.emplace_back([p] { p->loop.run(); });
      }
    }
    started_ = true;
    sync();  // anything that changed while listeners were being opened
    malloc_trim(0);  // give back the temporary copy of every pod made while loading
  }

  void stop() {
    std::lock_guard lock(lifecycle_mu_);
    if (!started_) return;
    state_.unsubscribe(sub_);
    {
      std::lock_guard g(guard_->mu);
      guard_->alive = false;
    }
    {
      std::lock_guard l(loops_mu_);
      running_ = false;
    }
    for (auto& ls : loops_) ls->loop.stop();
    for (auto& t : threads_) t.join();
    for (auto& ls : loops_) cpu_at_stop_ += ls->loop.threadCpuSeconds();
    threads_.clear();
    closeEverything();
    started_ = false;
  }

  FleetStats stats() const {
    FleetStats s;
    s.requests_served = shared_.requests_served.load();
    s.connections_accepted = shared_.connections_accepted.load();
    s.handshakes_completed = shared_.handshakes_completed.load();
    s.sessions_resumed = shared_.sessions_resumed.load();
    s.cert_issue_seconds = cert_seconds_;
    s.loop_cpu_seconds = cpu_at_stop_;
    std::lock_guard l(loops_mu_);
    for (const auto& ls : loops_) s.loop_cpu_seconds += ls->loop.threadCpuSeconds();
    s.listeners_open = listeners_open_.load();
    return s;
  }

  uint64_t requestsServed() const { return shared_.requests_served.load(); }

 private:
  static void raiseFdLimit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
    }
  }

  LoopState& loopFor(const std::string& node) {
    return *loops_[std::hash<std::string>{}(node) % loops_.size()];
  }

  // Certificates are cached by (name, address): a node that comes back keeps its identity.
  std::shared_ptr<const TlsIdentity> identityFor(const Node& n) {
    const std::string key = n.name + "@" + n.internal_ip;
    std::lock_guard l(ids_mu_);
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    auto id = issuer_.issue(n);
    ids_.emplace(key, id);
    return id;
  }

  // Applies queued cluster changes and opens/closes listeners on their loops. Any thread.
  void sync() {
    FleetModel::NodeChanges ch = model_.applyPending(wallNow());
    std::lock_guard l(loops_mu_);
    if (!running_) return;
    for (const std::string& name : ch.removed) {
      LoopState* ls = &loopFor(name);
      ls->loop.post([this, ls, name] {
        if (ls->listeners.count(name)) --listeners_open_;
        ls->closeNode(name);
      });
    }
    for (const Node& n : ch.added) {
      LoopState* ls = &loopFor(n.name);
      auto id = identityFor(n);
      ls->loop.post([this, ls, n, id] {
        std::string err;
        if (ls->listeners.count(n.name) != 0) return;
        if (ls->openListener(n.name, n.internal_ip, n.kubelet_port, id, &err)) {
          ++listeners_open_;
        } else {
          std::fprintf(stderr, "kubelet fleet: node %s: %s\n", n.name.c_str(), err.c_str());
        }
      });
    }
  }

  void closeEverything() {
    for (auto& ls : loops_) {
      ls->closeAll();
      ls->loop.cancel(ls->sweep_timer);
    }
    {
      std::lock_guard l(loops_mu_);
      loops_.clear();  // EventLoop destructor frees retired handlers
    }
    listeners_open_ = 0;
  }

  ClusterState& state_;
  KubeletCertIssuer issuer_;
  FleetOptions opts_;
  TlsServerContext tls_;
  FleetModel model_;
  KubeletHandler handler_;
  ServerShared shared_;

  struct CallbackGuard {
    std::mutex mu;
    bool alive = false;
  };
  std::shared_ptr<CallbackGuard> guard_;
  std::mutex lifecycle_mu_;
  mutable std::mutex loops_mu_;
  std::vector<std::unique_ptr<LoopState>> loops_;
  std::vector<std::thread> threads_;
  bool running_ = false;
  bool started_ = false;
  uint64_t sub_ = 0;
  double cert_seconds_ = 0;
  double cpu_at_stop_ = 0;
  std::atomic<uint64_t> listeners_open_{0};

  std::mutex ids_mu_;
  std::unordered_map<std::string, std::shared_ptr<const TlsIdentity>> ids_;
};

KubeletFleet::KubeletFleet(ClusterState& state, const CertificateAuthority& kubelet_ca, FleetOptions options)
    : impl_(std::make_unique<Impl>(state, kubelet_ca, std::move(options))) {}

KubeletFleet::~KubeletFleet() { impl_->stop(); }

void KubeletFleet::start() { impl_->start(); }
void KubeletFleet::stop() { impl_->stop(); }
uint64_t KubeletFleet::requestsServed() const { return impl_->requestsServed(); }
FleetStats KubeletFleet::stats() const { return impl_->stats(); }

}  // namespace kmetrics::sim
