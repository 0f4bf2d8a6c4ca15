// Store benchmarks at metrics-server's scalability envelope (5,000 nodes x 30 pods, 1-2 containers):
// the host's data path per tick (per-node chunks -> per-source batch -> merge -> apply + publish),
// building one node's chunk, HPA-style namespaced read, full pod list, history read.
//   build/bin/store_bench --benchmark_filter=TickDataPath
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "store/source_merge.hpp"
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

// Pod p of node n is pod g = p * nodes + n, in namespace g / 30: a namespace's pods are spread over
// 30 nodes, as a deployment's are. Even pods have one container, odd pods two (1.5 on average).
// Tick t is 15 s after tick t-1, with some CPU used. One chunk per node, as the scrape workers
// hand them over. Churn: on `churn` nodes (others each tick) the first pod is replaced by a new one.
std::vector<std::shared_ptr<const NodeChunk>> node_chunks(int nodes, int tick, int churn = 0) {
  std::vector<std::shared_ptr<const NodeChunk>> chunks;
  chunks.reserve(static_cast<size_t>(nodes));
  const UnixNanos ts = kT0 + tick * 15 * kSecond;
  const UnixNanos start = kT0 - 3600 * kSecond;
  for (int n = 0; n < nodes; ++n) {
    const std::string node = name("node", n);
    NodeChunkBuilder b(node);
    b.node(node, {ts, 0, static_cast<uint64_t>(1000 + 60 * tick) * kSecond, 8ull << 30}, nullptr);
    for (int p = 0; p < kPodsPerNode; ++p) {
      const int g = p * nodes + n;
      const std::string ns = name("namespace", g / kPodsPerNamespace);
      const bool replaced = p == 0 && ((n - tick * churn) % nodes + nodes) % nodes < churn;
      const std::string pod = name("deployment-7f9c8d-pod", g) + (replaced ? "-r" + std::to_string(tick) : "");
      b.container(ns, pod, "app", node, {ts, start, static_cast<uint64_t>(10 + tick) * kSecond, 64ull << 20}, nullptr);
      if (g % 2 == 1) {
        b.container(ns, pod, "sidecar", node, {ts, start, kSecond + static_cast<uint64_t>(tick) * kSecond / 10, 16ull << 20},
                    nullptr);
      }
    }
    chunks.push_back(b.finish());
  }
  return chunks;
}

TickBatch tick_batch(int nodes, int tick) {
  TickBatch t;
  t.chunks = node_chunks(nodes, tick);
  return t;
}

HistoryOptions history_option(bool enabled) {
  HistoryOptions o;
  o.enabled = enabled;
  return o;
}

size_t heap_in_use() { return mallinfo2().uordblks; }

// Heap the store holds after two ticks (its state, the published snapshot, the chunks they keep
// and, when on, the history), the benchmark's own references to the batches dropped.
void report_store_heap(benchmark::State& state, size_t heap_before, int nodes) {
  const double bytes = static_cast<double>(heap_in_use() - heap_before);
  state.counters["store_MiB"] = bytes / (1 << 20);
  state.counters["store_KiB_per_node"] = bytes / 1024 / nodes;
}

// One tick's host data path after the scrapes: the per-node chunks are folded into the batch of
// their source, the sources merged (one source: passed through; two: the priority merge), applied
// and published. args: nodes, sources, history on/off, churn (nodes whose pods changed).
void BM_TickDataPath(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const int sources = static_cast<int>(state.range(1));
  const int churn = static_cast<int>(state.range(3));
  const size_t heap_before = heap_in_use();
  Store store(15s, history_option(state.range(2) != 0));
  auto run_tick = [&](std::vector<std::vector<std::shared_ptr<const NodeChunk>>>& outcomes) {
    std::vector<SourceBatch> per_source(static_cast<size_t>(sources));
    for (int s = 0; s < sources; ++s) {
      per_source[s].priority = s;
      per_source[s].batch.chunks.reserve(outcomes[s].size());
      for (auto& chunk : outcomes[s]) per_source[s].batch.chunks.push_back(std::move(chunk));
    }
    const TickBatch merged = merge_source_batches(per_source);
    per_source.clear();
    store.apply(merged);
  };
  auto outcomes_for = [&](int tick) {
    std::vector<std::vector<std::shared_ptr<const NodeChunk>>> outcomes;
    for (int s = 0; s < sources; ++s) outcomes.push_back(node_chunks(nodes, tick, churn));
    return outcomes;
  };
  int tick = 0;
  for (; tick < 2; ++tick) {
    auto outcomes = outcomes_for(tick);
    run_tick(outcomes);
  }
  report_store_heap(state, heap_before, nodes);
  for (auto _ : state) {
    state.PauseTiming();
    auto outcomes = outcomes_for(tick++);
    state.ResumeTiming();
    run_tick(outcomes);
    benchmark::DoNotOptimize(store.snapshot().get());
  }
  state.counters["pods"] = static_cast<double>(store.snapshot()->pods().size());
  state.counters["ready"] = store.snapshot()->ready() ? 1 : 0;
}
BENCHMARK(BM_TickDataPath)
    ->ArgsProduct({{1000, 5000}, {1, 2}, {0}, {0}})
    ->Args({5000, 1, 1, 0})
    ->Args({5000, 1, 0, 50})
    ->ArgNames({"nodes", "sources", "history", "churn"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// apply() + publish alone, the batch ready. args: nodes, history on/off
void BM_ApplyAndPublish(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const size_t heap_before = heap_in_use();
  Store store(15s, history_option(state.range(1) != 0));
  store.apply(tick_batch(nodes, 0));
  store.apply(tick_batch(nodes, 1));
  report_store_heap(state, heap_before, nodes);
  int tick = 2;
  for (auto _ : state) {
    state.PauseTiming();
    const TickBatch batch = tick_batch(nodes, tick++);
    state.ResumeTiming();
    store.apply(batch);
    benchmark::DoNotOptimize(store.snapshot().get());
  }
  state.counters["pods"] = static_cast<double>(store.snapshot()->pods().size());
}
BENCHMARK(BM_ApplyAndPublish)
    ->ArgsProduct({{1000, 5000}, {0, 1}})
    ->ArgNames({"nodes", "history"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The first tick (and the bootstrap ticks that add nodes): every pod is new and sorted once.
void BM_FirstApply(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto store = std::make_unique<Store>(15s, history_option(false));
    const TickBatch batch = tick_batch(nodes, 0);
    state.ResumeTiming();
    store->apply(batch);
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_FirstApply)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMillisecond)->UseRealTime();

// What a scrape worker spends turning one node's 30 pods into a chunk (the emitter's side).
void BM_BuildNodeChunk(benchmark::State& state) {
  const int nodes = 5000;
  std::vector<std::string> ns, pods;
  for (int p = 0; p < kPodsPerNode; ++p) {
    ns.push_back(name("namespace", (p * nodes + 7) / kPodsPerNamespace));
    pods.push_back(name("deployment-7f9c8d-pod", p * nodes + 7));
  }
  const std::string node = name("node", 7);
  NodeChunkBuilder b(node);
  for (auto _ : state) {
    b.node(node, {kT0, 0, 1, 1}, nullptr);
    for (int p = 0; p < kPodsPerNode; ++p) {
      b.container(ns[p], pods[p], "app", node, {kT0, 1, 2, 3}, nullptr);
      if (p % 2 == 1) b.container(ns[p], pods[p], "sidecar", node, {kT0, 1, 2, 3}, nullptr);
    }
    benchmark::DoNotOptimize(b.finish());
  }
}
BENCHMARK(BM_BuildNodeChunk)->Unit(benchmark::kMicrosecond);

// A Store with two ticks applied, shared by the read benchmarks.
const Store& ready_store(int nodes) {
  static std::unique_ptr<Store> store;
  static int built_for = 0;
  if (built_for != nodes) {
    store = std::make_unique<Store>(15s);
    store->apply(tick_batch(nodes, 0));
    store->apply(tick_batch(nodes, 1));
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
