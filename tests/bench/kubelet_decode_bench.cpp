// Throughput and allocations of the kubelet decoders on realistic payloads.
//
//   build-bench/bin/kubelet_decode_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// allocs_per_iter counts global operator new calls inside the timed loop (after one warm-up decode),
// so it shows what a steady-state scrape of one node costs the allocator.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>

#include "decode/prometheus_text_parser.hpp"
#include "decode/resource_metrics_decoder.hpp"
#include "decode/summary_decoder.hpp"

namespace {
std::atomic<uint64_t> g_allocs{0};
}  // namespace

// Counting allocator for this executable only. (GCC cannot see that every new here is malloc.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace kmetrics::kubelet;

std::string load(const char* name) {
  std::ifstream in(std::string(KMETRICS_KUBELET_TESTDATA_DIR) + "/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void report(benchmark::State& state, std::size_t bytes, uint64_t allocs_before, std::size_t pods) {
  const auto iters = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
  state.counters["allocs_per_iter"] =
      benchmark::Counter(static_cast<double>(g_allocs.load() - allocs_before) / iters);
  state.counters["pods"] = benchmark::Counter(static_cast<double>(pods));
  state.counters["payload_bytes"] = benchmark::Counter(static_cast<double>(bytes));
}

// Steady state: one decoder and one result reused across scrapes, as the plugin does per worker.
void resource_text_bench(benchmark::State& state, const char* file, std::size_t expect_pods) {
  const std::string body = load(file);
  ResourceMetricsDecoder decoder;
  ScrapeResult out;
  if (!decoder.decode(body, 1, out).ok() || out.pods.size() != expect_pods) state.SkipWithError("bad payload");
  const uint64_t before = g_allocs.load();
  for (auto _ : state) {
    benchmark::DoNotOptimize(decoder.decode(body, 1, out));
    benchmark::ClobberMemory();
  }
  report(state, body.size(), before, out.pods.size());
}

void BM_ResourceText110Pods(benchmark::State& state) {
  resource_text_bench(state, "resource_110pods.txt", 110);
}
BENCHMARK(BM_ResourceText110Pods);

// What kmetrics-sim serves (30 pods, one container each, 27 KB): the payload of the scale benchmarks.
void BM_ResourceText30PodsSim(benchmark::State& state) {
  resource_text_bench(state, "resource_30pods_sim.txt", 30);
}
BENCHMARK(BM_ResourceText30PodsSim);

// Fresh result per scrape: what it costs when the caller does not reuse its ScrapeResult.
void BM_ResourceText110PodsFreshResult(benchmark::State& state) {
  const std::string body = load("resource_110pods.txt");
  ResourceMetricsDecoder decoder;
  std::size_t pods = 0;
  {
    ScrapeResult warm;
    (void)decoder.decode(body, 1, warm);
  }
  const uint64_t before = g_allocs.load();
  for (auto _ : state) {
    ScrapeResult out;
    benchmark::DoNotOptimize(decoder.decode(body, 1, out));
    pods = out.pods.size();
  }
  report(state, body.size(), before, pods);
}
BENCHMARK(BM_ResourceText110PodsFreshResult);

// The tokenizer alone (every line syntax-checked, no grouping): the parser's ceiling.
void tokenizer_bench(benchmark::State& state, const char* file) {
  const std::string body = load(file);
  PrometheusTextParser parser;
  PromSample s;
  parser.reset(body);
  while (parser.next(s) == PrometheusTextParser::Result::kSample) {
  }
  const uint64_t before = g_allocs.load();
  for (auto _ : state) {
    parser.reset(body);
    std::size_t n = 0;
    while (parser.next(s) == PrometheusTextParser::Result::kSample) ++n;
    benchmark::DoNotOptimize(n);
  }
  report(state, body.size(), before, 0);
}

void BM_PrometheusTokenizer110Pods(benchmark::State& state) {
  tokenizer_bench(state, "resource_110pods.txt");
}
BENCHMARK(BM_PrometheusTokenizer110Pods);

void BM_PrometheusTokenizer30PodsSim(benchmark::State& state) {
  tokenizer_bench(state, "resource_30pods_sim.txt");
}
BENCHMARK(BM_PrometheusTokenizer30PodsSim);

void summary_bench(benchmark::State& state, const char* file, std::size_t expect_pods) {
  const std::string body = load(file);
  SummaryDecoder decoder;
  ScrapeResult out;
  if (!decoder.decode(body, out).ok() || out.pods.size() != expect_pods) state.SkipWithError("bad payload");
  const uint64_t before = g_allocs.load();
  for (auto _ : state) {
    benchmark::DoNotOptimize(decoder.decode(body, out));
    benchmark::ClobberMemory();
  }
  report(state, body.size(), before, out.pods.size());
}

// The hand-written full payload (3 pods + 1 without containers, every field the decoder reads).
void BM_SummaryFull(benchmark::State& state) { summary_bench(state, "summary_full.json", 2); }
BENCHMARK(BM_SummaryFull);

void BM_SummaryOnlyCpuAndMemory(benchmark::State& state) {
  summary_bench(state, "summary_only_cpu_and_memory.json", 2);
}
BENCHMARK(BM_SummaryOnlyCpuAndMemory);

// Full Summary for the same 110-pod node as the text payload.
void BM_SummaryFull110Pods(benchmark::State& state) { summary_bench(state, "summary_110pods.json", 110); }
BENCHMARK(BM_SummaryFull110Pods);

}  // namespace

BENCHMARK_MAIN();
