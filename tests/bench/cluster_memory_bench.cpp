// Heap bytes the cluster view keeps per running pod, for the simulator's pods
// (tests/sim/cluster/cluster_state.cpp populate(): 30 per node, 3 namespaces, labels app and tier,
// 1 container or, for every fifth pod, 2). The pods go through the reflector's own path: pages of
// 500 list items parsed with simdjson, PodHandler (decode_pod), ClusterState, publish().
// The counter is the growth of glibc's in-use heap (mallinfo2: chunks incl. their headers, and
// mmap'd blocks) from before the list to after the publication, divided by the pod count.
//   build/bin/cluster_memory_bench                      # 5,000 nodes x 30 pods = 150,000 pods
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <simdjson.h>

#include <cstdio>
#include <string>

#include "cluster/list_handlers.hpp"
#include "cluster/view_state.hpp"

namespace kmetrics::cluster {
namespace {

constexpr int kPodsPerNode = 30;
constexpr int kPageSize = 500;  // ReflectorOptions::list_page_size
const char* const kNamespaces[] = {"default", "kube-system", "team-a"};

// One pod as the simulated apiserver renders it (tests/sim/apiserver/object_json.cpp podJson).
void append_pod(std::string& out, int node, int p, int resource_version) {
  const std::string node_name = "node-" + std::to_string(node);
  const std::string app = "app-" + std::to_string(p % 4);
  const std::string name = app + "-" + node_name + "-" + std::to_string(p);
  const int containers = p % 5 == 4 ? 2 : 1;
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s","uid":"uid-%d-%d",)"
                R"("resourceVersion":"%d","creationTimestamp":"2026-01-01T00:00:00Z",)"
                R"("labels":{"app":"%s","tier":"%s"}},"spec":{"nodeName":"%s","containers":[)",
                name.c_str(), kNamespaces[p % 3], node, p, resource_version, app.c_str(),
                p % 2 == 0 ? "frontend" : "backend", node_name.c_str());
  out += buf;
  for (int c = 0; c < containers; ++c) {
    std::snprintf(buf, sizeof buf,
                  R"(%s{"name":"%s","image":"registry.k8s.io/pause:3.9","resources":{)"
                  R"("requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"1","memory":"1Gi"}}})",
                  c == 0 ? "" : ",", c == 0 ? "main" : "sidecar-1");
    out += buf;
  }
  out += R"(],"restartPolicy":"Always"},"status":{"phase":"Running","podIP":"10.244.0.1",)"
         R"("startTime":"2026-01-01T00:00:00Z","qosClass":"Burstable"}})";
}

// Page `page` of the pod list: items [page * kPageSize, ...) of nodes x kPodsPerNode.
void build_page(std::string& out, int page, int total) {
  out.assign(R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[)");
  for (int i = page * kPageSize; i < total && i < (page + 1) * kPageSize; ++i) {
    if (i != page * kPageSize) out += ',';
    append_pod(out, i / kPodsPerNode, i % kPodsPerNode, 1000 + i);
  }
  out += "]}";
}

size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

void BM_PodListMemory(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const int total = nodes * kPodsPerNode;
  for (auto _ : state) {
    std::string page;
    simdjson::dom::parser parser;
    build_page(page, 0, total);
    page.reserve(page.size() * 2);
    (void)parser.parse(page);  // the parser's buffers exist before the measurement starts
    ClusterState cluster{LabelSelector()};
    PodHandler handler(cluster, [] {});

    const size_t before = heap_in_use();
    handler.list_begin();
    for (int p = 0; p * kPageSize < total; ++p) {
      build_page(page, p, total);
      simdjson::dom::element root = parser.parse(page);
      for (simdjson::dom::element item : root["items"].get_array()) handler.list_item(item);
    }
    handler.list_end();
    const auto snapshot = cluster.publish();
    const size_t after = heap_in_use();

    if (snapshot->pod_count() != static_cast<size_t>(total)) state.SkipWithError("pods missing");
    state.counters["pods"] = static_cast<double>(total);
    state.counters["bytes_per_pod"] = static_cast<double>(after - before) / total;
  }
}
BENCHMARK(BM_PodListMemory)->Arg(5000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kmetrics::cluster

BENCHMARK_MAIN();
