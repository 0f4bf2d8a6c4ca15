// metrics.k8s.io requests end to end inside one process, as a request runs in kmetrics: the
// metrics_api sink's handler over HostDataSource, through the host services table (ABI), the
// ClusterAdapter over a cluster snapshot and the store's snapshot. No HTTP or TLS.
// The cluster is the simulator's (kmetrics-sim): N nodes x 30 pods in three namespaces, plus the 30
// `app=hpa-web` pods of scripts/bench.sh in `default`.
//   build/bin/metrics_api_bench --benchmark_filter=FullPodList/nodes:5000
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api_handler.hpp"
#include "app/cluster_adapter.hpp"
#include "app/host_services.hpp"
#include "cluster/view_state.hpp"
#include "host_data_source.hpp"
#include "metrics/self_metrics.hpp"
#include "store/store.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;

constexpr int kPodsPerNode = 30;
constexpr int kHpaPods = 30;
constexpr int64_t kSecond = 1'000'000'000;
constexpr UnixNanos kT0 = 1'767'225'600LL * kSecond;
const char* const kNamespaces[] = {"default", "kube-system", "team-a"};

struct PodSpec {
  std::string ns, name, node;
  cluster::Labels labels;
  int containers;
};

// The simulator's pods (tests/sim/cluster/cluster_state.cpp) and the bench's HPA target.
std::vector<PodSpec> cluster_pods(int nodes) {
  std::vector<PodSpec> pods;
  pods.reserve(static_cast<size_t>(nodes) * kPodsPerNode + kHpaPods);
  for (int i = 0; i < nodes; ++i) {
    const std::string node = "node-" + std::to_string(i);
    for (int p = 0; p < kPodsPerNode; ++p) {
      const std::string app = "app-" + std::to_string(p % 4);
      pods.push_back({kNamespaces[p % 3], app + "-" + node + "-" + std::to_string(p), node,
                      {{"app", app}, {"tier", p % 2 == 0 ? "frontend" : "backend"}}, p % 5 == 4 ? 2 : 1});
    }
  }
  for (int i = 0; i < kHpaPods; ++i) {
    pods.push_back({"default", "hpa-web-" + std::to_string(i), "node-" + std::to_string(i % nodes),
                    {{"app", "hpa-web"}}, 1});
  }
  return pods;
}

std::shared_ptr<const cluster::ClusterSnapshot> cluster_snapshot(int nodes, const std::vector<PodSpec>& pods) {
  cluster::ClusterState state{cluster::LabelSelector()};
  cluster::ClusterState::NodeMap node_map;
  for (int i = 0; i < nodes; ++i) {
    auto n = std::make_shared<cluster::NodeInfo>();
    n->name = "node-" + std::to_string(i);
    n->labels = {{"kubernetes.io/hostname", n->name}, {"kubernetes.io/os", "linux"}};
    n->addresses = {{"InternalIP", "10.0.0.1"}};
    n->ready = true;
    node_map[n->name] = n;
  }
  state.replace_nodes(std::move(node_map));
  cluster::ClusterState::PodList maps;
  for (const auto& s : pods) {
    cluster::PodFields f;
    f.namespace_name = s.ns;
    f.name = s.name;
    f.node_name = s.node;
    for (const auto& [k, v] : s.labels) f.labels.emplace_back(k, v);  // sorted already
    for (int c = 0; c < s.containers; ++c) f.containers.push_back({c == 0 ? "main" : "sidecar-1", 100, 0, 1 << 20, 0});
    maps[cluster::pod_shard_of(s.ns, s.name)].push_back(cluster::PodInfo::make(f));
  }
  state.replace_pods(std::move(maps));
  return state.publish();
}

uint64_t cpu_ns(int64_t ns) { return static_cast<uint64_t>(ns); }

Batch metrics_batch(int nodes, const std::vector<PodSpec>& pods, int tick) {
  Batch b;
  const UnixNanos t = kT0 + tick * 15 * kSecond;
  for (int i = 0; i < nodes; ++i) {
    // Scrapes of one tick finish over a few seconds: a handful of distinct timestamps.
    b.nodes["node-" + std::to_string(i)].point = {t + (i % 5) * kSecond, 0, cpu_ns((1000 + 60 * tick) * kSecond), 8ull << 30};
  }
  for (size_t i = 0; i < pods.size(); ++i) {
    const auto& s = pods[i];
    PodSample& pod = b.pods[PodRef{s.ns, s.name}];
    pod.node = s.node;
    const UnixNanos ts = t + static_cast<int64_t>(i % 5) * kSecond;
    pod.containers["main"].point = {ts, kT0 - 3600 * kSecond, cpu_ns((10 + tick) * kSecond), 64ull << 20};
    if (s.containers > 1) {
      pod.containers["sidecar-1"].point = {ts, kT0 - 3600 * kSecond, cpu_ns(kSecond + tick), 16ull << 20};
    }
  }
  return b;
}

// The host side (cluster snapshot, store with two ticks, host services) and the sink's view of it.
struct Fixture {
  explicit Fixture(int nodes) : store(15s) {
    const auto pods = cluster_pods(nodes);
    snapshot = cluster_snapshot(nodes, pods);
    store.apply(metrics_batch(nodes, pods, 0));
    store.apply(metrics_batch(nodes, pods, 1));
    services = std::make_unique<HostServices>(HostSubsystems{&self_metrics, &store, &cluster});
    void* ctx = services->newContext("bench");
    host = sdk::Host(services->table(), ctx);
    // The same host as a 1.0 table: no lookups, so the sink iterates the cluster view (the pre-1.1 way).
    table10 = *services->table();
    table10.struct_size = offsetof(kmetrics_host_api, cluster_find_node);
    host10 = sdk::Host(&table10, ctx);
  }

  std::shared_ptr<const cluster::ClusterSnapshot> snapshot;
  ClusterAdapter cluster{[this] { return snapshot; }};
  SelfMetrics self_metrics;
  Store store;
  std::unique_ptr<HostServices> services;
  sdk::Host host;
  kmetrics_host_api table10{};
  sdk::Host host10;
};

Fixture& fixture(int nodes) {
  static std::unique_ptr<Fixture> f;
  if (f == nullptr || f->snapshot->node_count() != static_cast<size_t>(nodes)) {
    f.reset();
    f = std::make_unique<Fixture>(nodes);
  }
  return *f;
}

// range(0): nodes. `abi10`: through the 1.0 table.
void run(benchmark::State& state, std::string_view path, std::string_view query, bool abi10 = false) {
  Fixture& f = fixture(static_cast<int>(state.range(0)));
  const sdk::Host& host = abi10 ? f.host10 : f.host;
  size_t bytes = 0, items = 0;
  for (auto _ : state) {
    metrics_api::HostDataSource data(host);  // one snapshot per request, as the sink does
    const metrics_api::ApiResponse r = metrics_api::handleRequest({"GET", path, query, ""}, data);
    if (r.status != 200) state.SkipWithError("request failed");
    bytes = r.body.size();
    items = r.item_timestamps_ns.size();
    benchmark::DoNotOptimize(r.body.data());
  }
  state.counters["items"] = static_cast<double>(items);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

// 1,000 and 5,000 nodes, each with the index lookups (abi10:0) and through the 1.0 table (abi10:1).
void nodesAndAbi(benchmark::internal::Benchmark* b) { b->ArgsProduct({{1000, 5000}, {0, 1}})->ArgNames({"nodes", "abi10"}); }

void BM_FullPodList(benchmark::State& state) {
  run(state, "/apis/metrics.k8s.io/v1beta1/pods", "", state.range(1) == 1);
}
BENCHMARK(BM_FullPodList)->Apply(nodesAndAbi)->Unit(benchmark::kMillisecond);

void BM_HpaList(benchmark::State& state) {
  run(state, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "labelSelector=app%3Dhpa-web", state.range(1) == 1);
}
BENCHMARK(BM_HpaList)->Apply(nodesAndAbi)->Unit(benchmark::kMicrosecond);

void BM_NamespacePodList(benchmark::State& state) {
  run(state, "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods", "");
}
BENCHMARK(BM_NamespacePodList)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMillisecond);

void BM_PodGet(benchmark::State& state) {
  run(state, "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods/app-2-node-2500-2", "");
}
BENCHMARK(BM_PodGet)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMicrosecond);

void BM_NodeList(benchmark::State& state) { run(state, "/apis/metrics.k8s.io/v1beta1/nodes", ""); }
BENCHMARK(BM_NodeList)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMillisecond);

void BM_NodeGet(benchmark::State& state) { run(state, "/apis/metrics.k8s.io/v1beta1/nodes/node-2500", ""); }
BENCHMARK(BM_NodeGet)->Arg(5000)->ArgName("nodes")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kmetrics

BENCHMARK_MAIN();
