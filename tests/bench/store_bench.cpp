// Store benchmarks at metrics-server's scalability envelope (5,000 nodes x 30 pods, 1-2 containers):
// apply + snapshot publish per tick, HPA-style namespaced read, full pod list, history read.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;

constexpr int kPodsPerNode = 30;
constexpr int kPodsPerNamespace = 30;  // an HPA target: one deployment's pods in its namespace
constexpr int64_t kSecond = 1'000'000'000;
constexpr UnixNanos kT0 = 1'767'225'600LL * kSecond;

std::string name(const char* prefix, int i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%05d", prefix, i);
  return buf;
}

// Pod i is in namespace i / 30; even pods have one container, odd pods two (1.5 on average).
Batch make_batch(int nodes) {
  Batch b;
  b.nodes.reserve(nodes);
  b.pods.reserve(static_cast<size_t>(nodes) * kPodsPerNode);
  int pod_index = 0;
  for (int n = 0; n < nodes; ++n) {
    const std::string node = name("node", n);
    auto& ns = b.nodes[node];
    ns.point = {kT0, 0, 1000 * kSecond, 8ull << 30};
    for (int p = 0; p < kPodsPerNode; ++p, ++pod_index) {
      PodSample& pod = b.pods[PodRef{name("namespace", pod_index / kPodsPerNamespace), name("deployment-7f9c8d-pod", pod_index)}];
      pod.node = node;
      pod.containers["app"].point = {kT0, kT0 - 3600 * kSecond, 10 * kSecond, 64ull << 20};
      if (pod_index % 2 == 1) pod.containers["sidecar"].point = {kT0, kT0 - 3600 * kSecond, 1 * kSecond, 16ull << 20};
    }
  }
  return b;
}

// Next scrape: 15 s later, some CPU used.
void advance(Batch& b) {
  for (auto& [_, n] : b.nodes) {
    n.point.timestamp += 15 * kSecond;
    n.point.cpu_cumulative_ns += 4 * 15 * kSecond;
  }
  for (auto& [_, p] : b.pods) {
    for (auto& [__, c] : p.containers) {
      c.point.timestamp += 15 * kSecond;
      c.point.cpu_cumulative_ns += 15 * kSecond / 10;
    }
  }
}

HistoryOptions history_option(bool enabled) {
  HistoryOptions o;
  o.enabled = enabled;
  return o;
}

// args: nodes, history on/off
void BM_ApplyAndPublish(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  Batch batch = make_batch(nodes);
  const size_t heap_before = mallinfo2().uordblks;
  Store store(15s, history_option(state.range(1) != 0));
  store.apply(batch);
  advance(batch);
  store.apply(batch);
  // Heap held by the store: its state, the published snapshot and (if on) the history.
  state.counters["store_MiB"] = static_cast<double>(mallinfo2().uordblks - heap_before) / (1 << 20);
  for (auto _ : state) {
    state.PauseTiming();
    advance(batch);
    state.ResumeTiming();
    store.apply(batch);
    benchmark::DoNotOptimize(store.snapshot().get());
  }
  state.counters["pods"] = static_cast<double>(store.snapshot()->pods().size());
  state.counters["ready"] = store.snapshot()->ready() ? 1 : 0;
}
BENCHMARK(BM_ApplyAndPublish)
    ->ArgsProduct({{1000, 5000}, {0, 1}})
    ->ArgNames({"nodes", "history"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A Store with two ticks applied, shared by the read benchmarks.
const Store& ready_store(int nodes) {
  static std::unique_ptr<Store> store;
  static int built_for = 0;
  if (built_for != nodes) {
    store = std::make_unique<Store>(15s);
    Batch b = make_batch(nodes);
    store->apply(b);
    advance(b);
    store->apply(b);
    built_for = nodes;
  }
  return *store;
}

void BM_NamespacedPodRead(benchmark::State& state) {
  const Store& store = ready_store(static_cast<int>(state.range(0)));
  const auto namespaces = store.snapshot()->namespaces();
  const std::vector<std::string> queried = {std::string(namespaces[namespaces.size() / 2]),
                                            std::string(namespaces.front()), std::string(namespaces.back())};
  size_t i = 0;
  for (auto _ : state) {
    auto snap = store.snapshot();  // what a request does: take the snapshot, then read
    uint64_t cpu = 0;
    for (const PodMetrics& p : snap->pods_in_namespace(queried[i++ % queried.size()])) {
      for (const auto& c : p.containers) cpu += c.cpu_nanocores;
    }
    benchmark::DoNotOptimize(cpu);
  }
  state.counters["pods_per_query"] = kPodsPerNamespace;
}
BENCHMARK(BM_NamespacedPodRead)->Arg(5000)->ArgName("nodes");

void BM_PodGet(benchmark::State& state) {
  const Store& store = ready_store(static_cast<int>(state.range(0)));
  const PodRef ref{name("namespace", 2500), name("deployment-7f9c8d-pod", 2500 * kPodsPerNamespace + 7)};
  for (auto _ : state) {
    auto snap = store.snapshot();
    benchmark::DoNotOptimize(snap->find_pod(ref));
  }
}
BENCHMARK(BM_PodGet)->Arg(5000)->ArgName("nodes");

void BM_FullPodList(benchmark::State& state) {
  const Store& store = ready_store(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto snap = store.snapshot();
    uint64_t cpu = 0;
    for (const PodMetrics& p : snap->pods()) {
      for (const auto& c : p.containers) cpu += c.cpu_nanocores;
    }
    benchmark::DoNotOptimize(cpu);
  }
  state.counters["pods"] = static_cast<double>(store.snapshot()->pods().size());
}
BENCHMARK(BM_FullPodList)->Arg(1000)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMicrosecond);

void BM_FullNodeList(benchmark::State& state) {
  const Store& store = ready_store(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto snap = store.snapshot();
    uint64_t cpu = 0;
    for (const NodeMetrics& n : snap->nodes()) cpu += n.cpu_nanocores;
    benchmark::DoNotOptimize(cpu);
  }
}
BENCHMARK(BM_FullNodeList)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMicrosecond);

void BM_HistoryReadPodCpu(benchmark::State& state) {
  const Store& store = ready_store(static_cast<int>(state.range(0)));
  const auto key = EntityKeyView::pod_of(name("namespace", 2500), name("deployment-7f9c8d-pod", 2500 * kPodsPerNamespace + 7));
  for (auto _ : state) {
    auto snap = store.snapshot();
    benchmark::DoNotOptimize(snap->history().read(key, Series::kCpuUsageRate));
  }
}
BENCHMARK(BM_HistoryReadPodCpu)->Arg(5000)->ArgName("nodes");

}  // namespace
}  // namespace kmetrics

BENCHMARK_MAIN();
