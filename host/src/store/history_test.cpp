// History rings: capacity, windows, expiry, snapshot isolation, heapster-style derived series.
#include "store/history.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using testing::add_pod;
using testing::at;
using testing::kCoreSecond;
using testing::kMiB;
using testing::kSecond;
using testing::kT0;
using testing::node_batch;
using testing::point;

// A store whose history clock is `*clock`, so windows are deterministic.
struct Fixture {
  std::shared_ptr<UnixNanos> clock = std::make_shared<UnixNanos>(kT0);
  std::unique_ptr<Store> store;

  explicit Fixture(std::chrono::nanoseconds resolution = 60s, std::chrono::nanoseconds short_window = 140s) {
    HistoryOptions o;
    o.short_window = short_window;
    o.now = [c = clock] { return *c; };
    store = std::make_unique<Store>(resolution, std::move(o));
  }
  // One node tick at `seconds` (data time == host clock), cpu growing by `cores` per 60 s.
  void node_tick(double seconds, uint64_t cpu, uint64_t ws = 1 * kMiB) {
    *clock = at(seconds);
    store->apply(node_batch({{"node1", point(0, at(seconds), cpu, ws)}}));
  }
};

std::vector<int64_t> ints(const std::vector<HistoryPoint>& pts) {
  std::vector<int64_t> v;
  for (const auto& p : pts) v.push_back(p.int_value);
  return v;
}

TEST(History, CapacityComesFromWindowAndResolution) {
  History h(60s, HistoryOptions{});
  EXPECT_EQ(h.long_capacity(), 17u);  // 15 min / 60 s + 2
  EXPECT_EQ(h.short_capacity(), 5u);  // ceil(140 s / 60 s) + 2
  History fast(15s, HistoryOptions{});
  EXPECT_EQ(fast.long_capacity(), 17u) << "long rows are spaced by long_step (60 s), not by the resolution";
  EXPECT_EQ(fast.short_capacity(), 12u);
  HistoryOptions every_tick;
  every_tick.long_step = 0s;
  EXPECT_EQ(History(15s, every_tick).long_capacity(), 62u);
}

TEST(History, FastResolutionSpacesLongRowsByLongStep) {
  Fixture f(15s, 140s);
  for (int i = 1; i <= 40; ++i) {
    *f.clock = at(i * 15);
    Batch b = node_batch({{"node1", point(0, at(i * 15), static_cast<uint64_t>(i) * kCoreSecond, static_cast<uint64_t>(i))}});
    b.nodes["node1"].extended.present = ExtendedPoint::kMemoryRss;
    b.nodes["node1"].extended.memory_rss = static_cast<uint64_t>(i);
    f.store->apply(b);
  }
  const HistoryView& h = f.store->snapshot()->history();
  // Long ring: 15 s, 75 s, 135 s ... 555 s (every 4th tick).
  auto ws = h.read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet);
  EXPECT_EQ(ints(ws), (std::vector<int64_t>{1, 5, 9, 13, 17, 21, 25, 29, 33, 37}));
  // Short ring keeps every tick inside 140 s of the clock (600 s): 465 s .. 600 s.
  auto rss = h.read(EntityKeyView::node("node1"), Series::kMemoryRss);
  EXPECT_EQ(ints(rss), (std::vector<int64_t>{31, 32, 33, 34, 35, 36, 37, 38, 39, 40}));
}

TEST(History, JitteredTicksAtDefaultResolutionAreAllKept) {
  Fixture f(60s);
  const double ticks[] = {60, 118, 181, 239, 300};
  for (int i = 0; i < 5; ++i) f.node_tick(ticks[i], static_cast<uint64_t>(i) * kCoreSecond, static_cast<uint64_t>(i));
  EXPECT_EQ(f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).size(), 5u);
}

TEST(History, ZeroWindowsKeepNothingAndNeverInvalidateLiveEntities) {
  HistoryOptions o;
  o.long_window = 0s;
  o.short_window = 0s;
  auto clock = std::make_shared<UnixNanos>(kT0);
  o.now = [clock] { return *clock; };
  Store s(60s, o);
  for (int i = 1; i <= 5; ++i) {
    *clock = at(i * 120);
    Batch b = node_batch({{"node1", point(0, at(i * 120), static_cast<uint64_t>(i) * kCoreSecond, 1)}});
    testing::add_pod(b, {"ns", "p"}, {{"c", point(0, at(i * 120), static_cast<uint64_t>(i) * kCoreSecond, 1)}});
    s.apply(b);  // records through cached handles: a sweep must not have freed them (ASan checks)
  }
  EXPECT_TRUE(s.snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).empty());
  ASSERT_NE(s.snapshot()->find_node("node1"), nullptr);
}

TEST(History, NodeCpuRateInMillicoresAndWorkingSet) {
  Fixture f;
  f.node_tick(60, 10 * kCoreSecond, 1 * kMiB);
  f.node_tick(120, 70 * kCoreSecond, 2 * kMiB);     // 1 core
  f.node_tick(180, 100 * kCoreSecond, 3 * kMiB);    // 0.5 core
  const HistoryView& h = f.store->snapshot()->history();
  ASSERT_TRUE(h.enabled());
  auto cpu = h.read(EntityKeyView::node("node1"), Series::kCpuUsageRate);
  EXPECT_EQ(ints(cpu), (std::vector<int64_t>{1000, 500}));
  ASSERT_EQ(cpu.size(), 2u);
  EXPECT_EQ(cpu[0].timestamp, at(120));
  auto ws = h.read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet);
  EXPECT_EQ(ints(ws), (std::vector<int64_t>{1 * kMiB, 2 * kMiB, 3 * kMiB}));
  EXPECT_TRUE(h.read(EntityKeyView::node("node2"), Series::kCpuUsageRate).empty());
}

TEST(History, LongWindowHidesOldPointsAndRingIsBounded) {
  Fixture f;
  for (int i = 1; i <= 40; ++i) f.node_tick(i * 60, static_cast<uint64_t>(i) * 60 * kCoreSecond, static_cast<uint64_t>(i));
  auto ws = f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet);
  // Clock is at 2400 s: points with timestamp > 2400 - 900 are visible: 1560 .. 2400 s = 15 points.
  ASSERT_EQ(ws.size(), 15u);
  EXPECT_EQ(ws.front().int_value, 26);
  EXPECT_EQ(ws.back().int_value, 40);
}

TEST(History, RingCapacityBoundsPointsEvenWhenTicksComeFaster) {
  Fixture f(60s);
  // Ticks every 10 s at 60 s resolution: only 17 rows are kept, however many fit the window.
  for (int i = 1; i <= 60; ++i) f.node_tick(i * 10, static_cast<uint64_t>(i) * kCoreSecond, static_cast<uint64_t>(i));
  auto ws = f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet);
  ASSERT_EQ(ws.size(), 17u);
  EXPECT_EQ(ws.front().int_value, 44);
  EXPECT_EQ(ws.back().int_value, 60);
}

TEST(History, OlderSnapshotDoesNotSeeNewerRows) {
  Fixture f;
  f.node_tick(60, 10 * kCoreSecond);
  f.node_tick(120, 70 * kCoreSecond);
  auto old_snapshot = f.store->snapshot();
  f.node_tick(180, 130 * kCoreSecond);
  EXPECT_EQ(old_snapshot->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).size(), 2u);
  EXPECT_EQ(f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).size(), 3u);
}

TEST(History, VanishedEntityIsDroppedAfterTheLongWindow) {
  Fixture f;
  f.node_tick(60, 10 * kCoreSecond);
  f.node_tick(120, 70 * kCoreSecond);
  // node1 stops reporting; another node keeps ticks (and the clock) going.
  for (int i = 3; i <= 17; ++i) {
    *f.clock = at(i * 60);
    f.store->apply(node_batch({{"node2", point(0, at(i * 60), static_cast<uint64_t>(i) * kCoreSecond, 1)}}));
  }
  // Clock 1020 s: node1 was last seen at 120 s, 900 s ago: dropped (<= clock - window).
  auto snap = f.store->snapshot();
  EXPECT_TRUE(snap->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).empty());
  auto nodes = snap->history().entities(EntityKind::kNode);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].name, "node2");
}

TEST(History, VanishedEntityIsKeptWithinTheLongWindow) {
  Fixture f;
  f.node_tick(60, 10 * kCoreSecond);
  f.node_tick(120, 70 * kCoreSecond);
  *f.clock = at(1000);  // 880 s after its last report: still within 15 min
  f.store->apply(Batch{});
  auto ws = f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet);
  // The 60 s point is older than clock - 15 min (100 s) and hidden; the 120 s point is still served.
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].timestamp, at(120));
  EXPECT_EQ(f.store->snapshot()->history().entities(EntityKind::kNode).size(), 1u);
}

Batch pod_tick(double seconds, uint64_t cpu_a, uint64_t cpu_b, uint64_t rx_bytes, UnixNanos start = kT0) {
  Batch b;
  add_pod(b, {"ns", "p"}, {{"a", point(start, at(seconds), cpu_a, 1 * kMiB)}, {"b", point(start, at(seconds), cpu_b, 2 * kMiB)}});
  PodSample& pod = b.pods[{"ns", "p"}];
  pod.extended.present = ExtendedPoint::kNetworkRxBytes | ExtendedPoint::kUptimeSeconds;
  pod.extended.network_rx_bytes = rx_bytes;
  pod.extended.uptime_seconds = static_cast<uint64_t>(seconds);
  auto& a = pod.containers["a"].extended;
  a.present = ExtendedPoint::kMemoryUsage | ExtendedPoint::kMemoryRss | ExtendedPoint::kPageFaults;
  a.memory_usage = 3 * kMiB;
  a.memory_rss = 1000;
  a.page_faults = static_cast<uint64_t>(seconds) * 2;
  return b;
}

TEST(History, PodSeriesSumContainersAndNetworkRateComesFromCounters) {
  Fixture f;
  *f.clock = at(1000);
  f.store->apply(pod_tick(1000, 10 * kCoreSecond, 20 * kCoreSecond, 1000));
  *f.clock = at(1060);
  f.store->apply(pod_tick(1060, 40 * kCoreSecond, 80 * kCoreSecond, 7000));
  const HistoryView& h = f.store->snapshot()->history();
  const auto pod = EntityKeyView::pod_of("ns", "p");
  EXPECT_EQ(ints(h.read(pod, Series::kCpuUsageRate)), (std::vector<int64_t>{1500}));  // 0.5 + 1 core
  EXPECT_EQ(ints(h.read(pod, Series::kMemoryWorkingSet)), (std::vector<int64_t>{3 * kMiB, 3 * kMiB}));
  EXPECT_EQ(ints(h.read(pod, Series::kMemoryUsage)), (std::vector<int64_t>{3 * kMiB, 3 * kMiB}));
  EXPECT_EQ(ints(h.read(pod, Series::kMemoryRss)), (std::vector<int64_t>{1000, 1000}));
  EXPECT_EQ(ints(h.read(pod, Series::kUptime)), (std::vector<int64_t>{1'000'000, 1'060'000}));
  auto rx = h.read(pod, Series::kNetworkRxRate);
  ASSERT_EQ(rx.size(), 1u);
  EXPECT_DOUBLE_EQ(rx[0].float_value, 100.0);  // 6000 bytes / 60 s
  EXPECT_EQ(rx[0].timestamp, at(1060));

  const auto a = EntityKeyView::container("ns", "p", "a");
  EXPECT_EQ(ints(h.read(a, Series::kCpuUsageRate)), (std::vector<int64_t>{500}));
  auto faults = h.read(a, Series::kPageFaultsRate);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_DOUBLE_EQ(faults[0].float_value, 2.0);
  EXPECT_TRUE(h.read(EntityKeyView::container("ns", "p", "b"), Series::kMemoryUsage).empty());
}

TEST(History, ShortWindowIsShorterThanLongWindow) {
  Fixture f(60s, 140s);
  for (int i = 0; i < 6; ++i) {
    *f.clock = at(1000 + i * 60);
    f.store->apply(pod_tick(1000 + i * 60, (i + 1) * kCoreSecond, (i + 1) * kCoreSecond, 1000 * (i + 1)));
  }
  const HistoryView& h = f.store->snapshot()->history();
  const auto pod = EntityKeyView::pod_of("ns", "p");
  // Clock 1300 s; short window 140 s keeps 1180, 1240, 1300.
  EXPECT_EQ(h.read(pod, Series::kUptime).size(), 3u);
  EXPECT_EQ(h.read(pod, Series::kMemoryWorkingSet).size(), 6u);
}

TEST(History, CounterRateNeedsSameStartTimeAndNoDecrease) {
  Fixture f;
  *f.clock = at(1000);
  f.store->apply(pod_tick(1000, 1, 1, 5000));
  *f.clock = at(1060);
  f.store->apply(pod_tick(1060, 2, 2, 1000));  // rx counter went down: no rate (heapster would go negative)
  *f.clock = at(1120);
  f.store->apply(pod_tick(1120, 3, 3, 7000));
  const auto pod = EntityKeyView::pod_of("ns", "p");
  auto rx = f.store->snapshot()->history().read(pod, Series::kNetworkRxRate);
  ASSERT_EQ(rx.size(), 1u);
  EXPECT_DOUBLE_EQ(rx[0].float_value, 100.0);

  // Container restarted (start time changed): its page-fault counter restarts, no rate that tick.
  *f.clock = at(1180);
  f.store->apply(pod_tick(1180, 4, 4, 8000, at(1170)));
  auto faults = f.store->snapshot()->history().read(EntityKeyView::container("ns", "p", "a"), Series::kPageFaultsRate);
  EXPECT_EQ(faults.size(), 2u) << "1060 and 1120 only";
}

TEST(History, RowsOfOneTickShareTheApplyTimestamp) {
  Fixture f;
  *f.clock = at(1000);
  f.store->apply(node_batch({{"a", point(0, at(991), 1, 1)}, {"b", point(0, at(996), 1, 2)}}));
  const HistoryView& h = f.store->snapshot()->history();
  auto a = h.read(EntityKeyView::node("a"), Series::kMemoryWorkingSet);
  auto b = h.read(EntityKeyView::node("b"), Series::kMemoryWorkingSet);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].timestamp, at(1000));
  EXPECT_EQ(b[0].timestamp, at(1000));
  EXPECT_EQ(h.clock(), at(1000));
}

TEST(History, StaleSampleAddsNoRowEvenOnALaterTick) {
  Fixture f;
  f.node_tick(60, 10 * kCoreSecond);
  *f.clock = at(120);  // next tick, but the kubelet sent the same sample again
  f.store->apply(node_batch({{"node1", point(0, at(60), 10 * kCoreSecond, 1 * kMiB)}}));
  EXPECT_EQ(f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).size(), 1u);
}

TEST(History, RepeatedTimestampAddsNoRow) {
  Fixture f;
  f.node_tick(60, 10 * kCoreSecond);
  f.store->apply(node_batch({{"node1", point(0, at(60), 10 * kCoreSecond, 1 * kMiB)}}));
  EXPECT_EQ(f.store->snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).size(), 1u);
}

TEST(History, PodThatMovedToAnotherNodeKeepsItsHistory) {
  Fixture f;
  for (int i = 1; i <= 3; ++i) {
    *f.clock = at(i * 60);
    Batch b;
    add_pod(b, {"ns", "p"}, {{"c", point(kT0, at(i * 60), static_cast<uint64_t>(i) * 60 * kCoreSecond, 1 * kMiB)}},
            i == 1 ? "node1" : "node2");
    f.store->apply(b);
  }
  const HistoryView& h = f.store->snapshot()->history();
  EXPECT_EQ(h.read(EntityKeyView::pod_of("ns", "p"), Series::kMemoryWorkingSet).size(), 3u);
  EXPECT_EQ(ints(h.read(EntityKeyView::container("ns", "p", "c"), Series::kCpuUsageRate)),
            (std::vector<int64_t>{1000, 1000}));
}

TEST(History, DisabledHistoryReadsNothing) {
  HistoryOptions o;
  o.enabled = false;
  Store s(60s, o);
  s.apply(node_batch({{"node1", point(0, at(60), 1, 1)}}));
  EXPECT_FALSE(s.snapshot()->history().enabled());
  EXPECT_TRUE(s.snapshot()->history().read(EntityKeyView::node("node1"), Series::kMemoryWorkingSet).empty());
}

TEST(HistorySeries, NamesRoundTrip) {
  for (size_t i = 0; i < kSeriesCount; ++i) {
    const auto s = static_cast<Series>(i);
    EXPECT_EQ(series_from_name(series_name(s)), s);
  }
  EXPECT_EQ(series_name(Series::kCpuUsageRate), "cpu/usage_rate");
  EXPECT_EQ(series_name(Series::kMemoryWorkingSet), "memory/working_set");
  EXPECT_FALSE(series_from_name("cpu/usage").has_value());
  EXPECT_TRUE(series_is_float(Series::kNetworkRxRate));
  EXPECT_FALSE(series_is_float(Series::kFilesystemUsage));
}

}  // namespace
}  // namespace kmetrics
