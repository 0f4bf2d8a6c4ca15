// Snapshot indexing (sorted lists, namespace ranges, lookups) and publication while readers run.
#include "store/snapshot.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <thread>

#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::kCoreSecond;
using testing::point;

// Snapshots hold views: the test's strings live in storage the snapshot owns.
struct Strings {
  std::shared_ptr<std::deque<std::string>> storage = std::make_shared<std::deque<std::string>>();
  std::string_view operator()(std::string s) { return storage->emplace_back(std::move(s)); }
};

// A SnapshotData whose pods are named by `strings`.
struct Data {
  Strings strings;
  SnapshotData d;
  Data() { d.owners.push_back(strings.storage); }
  void pod(std::string ns, std::string name) {
    PodMetrics p;
    p.ref = {strings(std::move(ns)), strings(std::move(name))};
    d.pods.push_back(p);
  }
};

TEST(Snapshot, PodsAreSortedByNamespaceThenName) {
  Data d;
  for (auto [ns, name] : {std::pair{"b", "x"}, {"a", "z"}, {"b", "a"}, {"a", "a"}, {"c", "m"}}) {
    d.pod(ns, name);
  }
  Snapshot s(std::move(d.d));
  ASSERT_EQ(s.pods().size(), 5u);
  std::vector<std::string> order;
  for (const auto& p : s.pods()) order.push_back(std::string(p.ref.ns) + "/" + std::string(p.ref.name));
  EXPECT_EQ(order, (std::vector<std::string>{"a/a", "a/z", "b/a", "b/x", "c/m"}));
  EXPECT_EQ(s.namespaces(), (std::vector<std::string_view>{"a", "b", "c"}));
}

TEST(Snapshot, NamespaceQueryReturnsOnlyThatNamespace) {
  Data d;
  for (int i = 0; i < 50; ++i) d.pod("ns" + std::to_string(i % 5), "pod" + std::to_string(i));
  Snapshot s(std::move(d.d));
  auto ns3 = s.pods_in_namespace("ns3");
  ASSERT_EQ(ns3.size(), 10u);
  for (const auto& p : ns3) EXPECT_EQ(p.ref.ns, "ns3");
  EXPECT_TRUE(s.pods_in_namespace("ns").empty());
  EXPECT_TRUE(s.pods_in_namespace("ns33").empty());
  EXPECT_TRUE(s.pods_in_namespace("").empty());
}

TEST(Snapshot, FindPodNeedsBothNamespaceAndName) {
  Data d;
  d.pod("a", "p1");
  d.pod("b", "p2");
  Snapshot s(std::move(d.d));
  ASSERT_NE(s.find_pod("a", "p1"), nullptr);
  EXPECT_EQ(s.find_pod("a", "p1")->ref.name, "p1");
  EXPECT_EQ(s.find_pod("a", "p2"), nullptr);
  EXPECT_EQ(s.find_pod("b", "p1"), nullptr);
  EXPECT_NE(s.find_pod(PodRef{"b", "p2"}), nullptr);
}

TEST(Snapshot, CopyKeepsIndexValid) {
  Data d;
  d.pod("a", "p1");
  d.d.containers.push_back({d.strings("c"), 7, 8});
  d.d.pods.back().containers = std::span<const ContainerMetrics>(d.d.containers.data(), 1);
  auto original = std::make_unique<Snapshot>(std::move(d.d));
  d.strings.storage.reset();
  Snapshot copy = *original;
  original.reset();
  EXPECT_EQ(copy.pods_in_namespace("a").size(), 1u);
  ASSERT_NE(copy.find_pod("a", "p1"), nullptr);
  ASSERT_EQ(copy.find_pod("a", "p1")->containers.size(), 1u);
  EXPECT_EQ(copy.find_pod("a", "p1")->containers[0].name, "c");
  EXPECT_EQ(copy.find_pod("a", "p1")->containers[0].cpu_nanocores, 7u);
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
