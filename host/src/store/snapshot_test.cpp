// Snapshot indexing (sorted lists, namespace ranges, lookups) and publication while readers run.
#include "store/snapshot.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::kCoreSecond;
using testing::point;

PodMetrics pod(std::string ns, std::string name) {
  PodMetrics p;
  p.ref = {std::move(ns), std::move(name)};
  return p;
}

TEST(Snapshot, PodsAreSortedByNamespaceThenName) {
  SnapshotData d;
  for (auto [ns, name] : {std::pair{"b", "x"}, {"a", "z"}, {"b", "a"}, {"a", "a"}, {"c", "m"}}) {
    d.pods.push_back(pod(ns, name));
  }
  Snapshot s(std::move(d));
  ASSERT_EQ(s.pods().size(), 5u);
  std::vector<std::string> order;
  for (const auto& p : s.pods()) order.push_back(p.ref.ns + "/" + p.ref.name);
  EXPECT_EQ(order, (std::vector<std::string>{"a/a", "a/z", "b/a", "b/x", "c/m"}));
  EXPECT_EQ(s.namespaces(), (std::vector<std::string_view>{"a", "b", "c"}));
}

TEST(Snapshot, NamespaceQueryReturnsOnlyThatNamespace) {
  SnapshotData d;
  for (int i = 0; i < 50; ++i) d.pods.push_back(pod("ns" + std::to_string(i % 5), "pod" + std::to_string(i)));
  Snapshot s(std::move(d));
  auto ns3 = s.pods_in_namespace("ns3");
  ASSERT_EQ(ns3.size(), 10u);
  for (const auto& p : ns3) EXPECT_EQ(p.ref.ns, "ns3");
  EXPECT_TRUE(s.pods_in_namespace("ns").empty());
  EXPECT_TRUE(s.pods_in_namespace("ns33").empty());
  EXPECT_TRUE(s.pods_in_namespace("").empty());
}

TEST(Snapshot, FindPodNeedsBothNamespaceAndName) {
  SnapshotData d;
  d.pods.push_back(pod("a", "p1"));
  d.pods.push_back(pod("b", "p2"));
  Snapshot s(std::move(d));
  ASSERT_NE(s.find_pod("a", "p1"), nullptr);
  EXPECT_EQ(s.find_pod("a", "p1")->ref.name, "p1");
  EXPECT_EQ(s.find_pod("a", "p2"), nullptr);
  EXPECT_EQ(s.find_pod("b", "p1"), nullptr);
  EXPECT_NE(s.find_pod(PodRef{"b", "p2"}), nullptr);
}

TEST(Snapshot, CopyKeepsIndexValid) {
  SnapshotData d;
  d.pods.push_back(pod("a", "p1"));
  auto original = std::make_unique<Snapshot>(std::move(d));
  Snapshot copy = *original;
  original.reset();
  EXPECT_EQ(copy.pods_in_namespace("a").size(), 1u);
  EXPECT_NE(copy.find_pod("a", "p1"), nullptr);
}

TEST(Snapshot, ReadersSeeWholeTicksWhileTheWriterApplies) {
  Store s(60s);
  std::atomic<bool> stop{false};
  std::atomic<size_t> reads{0};
  std::atomic<bool> torn{false};
  std::thread reader([&] {
    while (!stop.load()) {
      auto snap = s.snapshot();
      // In every tick both pods carry the same CPU: a snapshot mixing two ticks would differ.
      const PodMetrics* a = snap->find_pod("ns", "a");
      const PodMetrics* b = snap->find_pod("ns", "b");
      if ((a == nullptr) != (b == nullptr)) torn = true;
      if (a && b && a->containers[0].cpu_nanocores != b->containers[0].cpu_nanocores) torn = true;
      // History is read under its own shard locks while the writer appends.
      auto cpu = snap->history().read(EntityKeyView::container("ns", "a", "c"), Series::kCpuUsageRate);
      if (cpu.size() > 17) torn = true;
      ++reads;
    }
  });
  uint64_t cpu = 0;
  for (int tick = 1; tick <= 300; ++tick) {
    cpu += static_cast<uint64_t>(tick) * kCoreSecond;
    Batch b;
    testing::add_pod(b, {"ns", "a"}, {{"c", point(0, at(tick * 10), cpu, 1)}});
    testing::add_pod(b, {"ns", "b"}, {{"c", point(0, at(tick * 10), cpu, 1)}});
    s.apply(b);
  }
  while (reads.load() < 10) std::this_thread::yield();
  stop = true;
  reader.join();
  EXPECT_FALSE(torn.load());
  EXPECT_EQ(s.snapshot()->generation(), 300u);
  EXPECT_EQ(s.snapshot()->find_pod("ns", "a")->containers[0].cpu_nanocores, 30'000'000'000u);
}

}  // namespace
}  // namespace kmetrics
