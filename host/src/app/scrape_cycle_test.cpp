// ScrapeCycle's bootstrap: fast ticks until every answering node is served, slow nodes joining in a
// later tick, and the one-resolution cap. A real in-process source component (C function table),
// the real store, worker pool and self-metrics.
#include "app/scrape_cycle.hpp"
#include "scheduler/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int64_t unixNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

kmetrics_str ks(const std::string& s) { return {s.data(), s.size()}; }

// A per-node source: nodes named "slow-*" answer after `slow_delay`, "hang-*" never before the
// request deadline; the others at once. Every node has one pod with one container.
struct FakeSource {
  std::chrono::milliseconds slow_delay{500};
  std::atomic<int> scrapes{0};

  static kmetrics_status scrape(void* self, const kmetrics_scrape_request* req, const kmetrics_emitter* out,
                                const kmetrics_diag*) {
    auto& src = *static_cast<FakeSource*>(self);
    src.scrapes.fetch_add(1);
    const std::string node(req->node->name.ptr, req->node->name.len);
    const auto deadline = Clock::time_point(std::chrono::nanoseconds(req->deadline_mono_ns));
    auto answer_at = Clock::now();
    if (node.rfind("slow-", 0) == 0) answer_at += src.slow_delay;
    if (node.rfind("hang-", 0) == 0) answer_at = deadline + 1s;
    std::this_thread::sleep_until(std::min(answer_at, deadline));
    if (Clock::now() >= deadline) return KMETRICS_ERR_DEADLINE;

    const int64_t now = unixNs();
    const kmetrics_point point{now, now - 3600'000'000'000LL, static_cast<uint64_t>(now / 2), 1u << 20};
    const kmetrics_node_sample n{sizeof n, req->node->name, point, nullptr};
    out->emit_node(out->host_ctx, &n);
    const std::string ns = "default", pod = "pod-" + node, container = "c";
    const kmetrics_container_sample c{sizeof c, ks(ns), ks(pod), ks(container), req->node->name, point, nullptr};
    out->emit_container(out->host_ctx, &c);
    return KMETRICS_OK;
  }
  static kmetrics_status start(void*, const kmetrics_diag*) { return KMETRICS_OK; }
  static void shutdown(void*, int64_t) {}
  static void destroy(void*) {}
};

kmetrics_component sourceComponent() {
  kmetrics_component c{};
  c.struct_size = sizeof c;
  c.kind = KMETRICS_KIND_SOURCE;
  c.type = "fake";
  c.scope_or_mode = KMETRICS_SCOPE_PER_NODE;
  c.start = FakeSource::start;
  c.shutdown = FakeSource::shutdown;
  c.destroy = FakeSource::destroy;
  c.scrape = FakeSource::scrape;
  return c;
}

class FakeCluster : public ClusterAccess {
 public:
  explicit FakeCluster(std::vector<std::string> nodes) : nodes_(std::move(nodes)) {}
  bool synced() const override { return true; }
  void forEachNode(const std::function<bool(const kmetrics_node_info&)>& fn) const override {
    for (const auto& n : nodes_) {
      kmetrics_node_info info{};
      info.struct_size = sizeof info;
      info.name = ks(n);
      if (!fn(info)) return;
    }
  }
  void forEachPod(std::string_view, const std::function<bool(const kmetrics_pod_info&)>&) const override {}
  bool findNode(std::string_view, const std::function<void(const kmetrics_node_info&)>&) const override { return false; }
  bool findPod(std::string_view, std::string_view, const std::function<void(const kmetrics_pod_info&)>&) const override {
    return false;
  }
  void forEachPodWithLabel(std::string_view, std::string_view, std::string_view,
                           const std::function<bool(const kmetrics_pod_info&)>&) const override {}

 private:
  std::vector<std::string> nodes_;
};

class ScrapeCycleTest : public ::testing::Test {
 protected:
  void SetUp() override { handle_.start(); }
  void TearDown() override { pool_.stop(); }

  std::unique_ptr<ScrapeCycle> cycle(const std::vector<std::string>& nodes, std::chrono::nanoseconds resolution,
                                     std::chrono::nanoseconds bootstrap_period) {
    cluster_ = std::make_unique<FakeCluster>(nodes);
    store_ = std::make_unique<Store>(resolution);
    ScrapeOptions options{resolution, 10s, false, bootstrap_period};
    return std::make_unique<ScrapeCycle>(options, std::vector<ScrapeSource>{{&handle_, 0}}, *cluster_, ScrapeExecutors{&pool_}, *store_,
                                         std::vector<PushSinkWorker*>{}, metrics_);
  }
  size_t served() const { return store_->snapshot()->nodes().size(); }
  bool isServed(const std::string& node) const { return store_->snapshot()->find_node(node) != nullptr; }

  FakeSource source_;
  const kmetrics_component component_ = sourceComponent();
  SourceHandle handle_{nullptr, &component_, &source_, "fake/test"};
  WorkerPool pool_{8, 1000};
  SelfMetrics metrics_;
  std::unique_ptr<FakeCluster> cluster_;
  std::unique_ptr<Store> store_;
};

TEST_F(ScrapeCycleTest, FastNodesAreServedAfterTwoBootstrapTicks) {
  auto c = cycle({"a", "b", "c"}, 10s, 200ms);
  EXPECT_TRUE(c->bootstrapping());
  EXPECT_EQ(c->period(), 200ms);
  c->tick(Clock::now());
  EXPECT_EQ(served(), 0u) << "one point is not a rate";
  EXPECT_TRUE(c->bootstrapping());
  c->tick(Clock::now());
  EXPECT_EQ(served(), 3u);
  EXPECT_FALSE(c->bootstrapping()) << "every node that answered is served";
  EXPECT_EQ(c->period(), 10s);
}

TEST_F(ScrapeCycleTest, SlowNodeJoinsInALaterBootstrapTick) {
  source_.slow_delay = 500ms;
  auto c = cycle({"a", "b", "slow-1"}, 10s, 200ms);
  const auto begin = Clock::now();
  c->tick(Clock::now());  // waits 180 ms: the slow node is still running
  c->tick(Clock::now());
  EXPECT_TRUE(isServed("a"));
  EXPECT_TRUE(isServed("b"));
  EXPECT_FALSE(isServed("slow-1"));
  EXPECT_TRUE(c->bootstrapping()) << "a node is still to come";
  int ticks = 2;
  while (c->bootstrapping() && ticks < 20) {
    c->tick(Clock::now());
    ++ticks;
  }
  EXPECT_FALSE(c->bootstrapping());
  EXPECT_TRUE(isServed("slow-1"));
  EXPECT_EQ(served(), 3u);
  // Waits of 0.18, 0.36, 0.54, 0.72 s: the slow node answers in the third and fourth tick.
  EXPECT_LE(ticks, 5);
  EXPECT_LT(Clock::now() - begin, 10s) << "well within one resolution";
}

TEST_F(ScrapeCycleTest, BootstrapEndsAfterOneResolutionWhenANodeNeverAnswers) {
  auto c = cycle({"a", "hang-1"}, 1s, 100ms);
  const auto begin = Clock::now();
  int ticks = 0;
  auto next = Clock::now();
  while (c->bootstrapping() && ticks < 50) {
    std::this_thread::sleep_until(next);
    const auto start = Clock::now();
    c->tick(start);
    next = start + c->period();
    ++ticks;
  }
  EXPECT_FALSE(c->bootstrapping());
  EXPECT_TRUE(isServed("a"));
  EXPECT_FALSE(isServed("hang-1"));
  const auto took = Clock::now() - begin;
  EXPECT_GE(took, 1s) << "the hanging node keeps the bootstrap going for one resolution";
  EXPECT_LT(took, 3s);
  EXPECT_EQ(c->period(), 1s);
}

}  // namespace
}  // namespace kmetrics
