// Node scenarios from metrics-server pkg/storage/node_test.go (reference/metrics-server.md §5).
#include <gtest/gtest.h>

#include <chrono>

#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::kCoreSecond;
using testing::kMiB;
using testing::kSecond;
using testing::kT0;
using testing::node_batch;
using testing::no_history;
using testing::point;

TEST(StoreNodes, ProvidesMetricsAfterTwoBatchesAndForgetsOnEmptyBatch) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(kT0, at(10), 10 * kCoreSecond, 2 * kMiB)}}));
  EXPECT_FALSE(s.snapshot()->ready());
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_TRUE(s.snapshot()->nodes().empty());

  s.apply(node_batch({{"node1", point(kT0, at(20), 20 * kCoreSecond, 3 * kMiB)}}));
  auto snap = s.snapshot();
  const NodeMetrics* n = snap->find_node("node1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->name, "node1");
  EXPECT_EQ(n->cpu_nanocores, 1'000'000'000u);
  EXPECT_EQ(n->memory_bytes, 3 * kMiB);
  EXPECT_EQ(n->window_ns, 10 * kSecond);
  EXPECT_EQ(n->timestamp, at(20));
  EXPECT_EQ(snap->find_node("node2"), nullptr);
  ASSERT_EQ(snap->nodes().size(), 1u);

  s.apply(Batch{});
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_TRUE(s.snapshot()->nodes().empty());
  // The earlier snapshot is immutable: readers holding it still see the tick it was built from.
  EXPECT_NE(snap->find_node("node1"), nullptr);
}

TEST(StoreNodes, NodeMissingFromOneBatchNeedsTwoMoreBatches) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(kT0, at(10), 10 * kCoreSecond, 1)}}));
  s.apply(node_batch({{"node1", point(kT0, at(20), 20 * kCoreSecond, 1)}}));
  ASSERT_NE(s.snapshot()->find_node("node1"), nullptr);
  s.apply(node_batch({{"node2", point(kT0, at(30), 1 * kCoreSecond, 1)}}));
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  s.apply(node_batch({{"node1", point(kT0, at(40), 40 * kCoreSecond, 1)}}));
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr) << "forgotten: the 20 s point must not be reused";
  s.apply(node_batch({{"node1", point(kT0, at(50), 45 * kCoreSecond, 1)}}));
  ASSERT_NE(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_EQ(s.snapshot()->find_node("node1")->cpu_nanocores, 500'000'000u);
}

TEST(StoreNodes, RepeatedIdenticalBatchHasNoPrev) {
  Store s(60s, no_history());
  const Batch b = node_batch({{"node1", point(kT0, at(10), 10 * kCoreSecond, 2 * kMiB)}});
  s.apply(b);
  s.apply(b);
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
  EXPECT_FALSE(s.snapshot()->ready());
}

TEST(StoreNodes, PointsGaugeCountsOnlyPointsWithPrev) {
  Store s(60s, no_history());
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
  s.apply(node_batch({{"node1", point(kT0, at(10), 10 * kCoreSecond, 2 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 0u);
  s.apply(node_batch({{"node1", point(kT0, at(20), 21 * kCoreSecond, 3 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 1u);
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 0u);
}

TEST(StoreNodes, StartTimeMovedAfterPreviousTimestampIsNotServed) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(kT0, at(10), 10 * kCoreSecond, 2 * kMiB)}}));
  s.apply(node_batch({{"node1", point(at(15), at(20), 5 * kCoreSecond, 3 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_EQ(s.snapshot()->rate_errors().nodes, 1u);  // the CPU counter went down
}

TEST(StoreNodes, CpuDecreaseIsNotServed) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(kT0, at(15), 50 * kCoreSecond, 3 * kMiB)}}));
  s.apply(node_batch({{"node1", point(kT0, at(25), 10 * kCoreSecond, 5 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_EQ(s.snapshot()->rate_errors().nodes, 1u);
  // It still counts as a point with prev (metrics-server counts stored prevs, not served ones).
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 1u);
}

TEST(StoreNodes, PointOlderThanPrevDropsPrev) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(kT0, at(15), 10 * kCoreSecond, 3 * kMiB)}}));
  s.apply(node_batch({{"node1", point(kT0, at(35), 50 * kCoreSecond, 5 * kMiB)}}));
  ASSERT_NE(s.snapshot()->find_node("node1"), nullptr);
  s.apply(node_batch({{"node1", point(kT0, at(5), 6 * kCoreSecond, 2 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
}

TEST(StoreNodes, PointBetweenPrevAndLastKeepsPrev) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(kT0, at(15), 10 * kCoreSecond, 1 * kMiB)}}));
  s.apply(node_batch({{"node1", point(kT0, at(35), 50 * kCoreSecond, 4 * kMiB)}}));
  s.apply(node_batch({{"node1", point(kT0, at(25), 35 * kCoreSecond, 2 * kMiB)}}));
  const NodeMetrics* n = s.snapshot()->find_node("node1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->cpu_nanocores, 2'500'000'000u);
  EXPECT_EQ(n->memory_bytes, 2 * kMiB);
  EXPECT_EQ(n->window_ns, 10 * kSecond);
  EXPECT_EQ(n->timestamp, at(25));
}

TEST(StoreNodes, SameTimestampAsLastKeepsOlderPrev) {
  // Not newer than last, but prev (10 s) is older than the new point (20 s): prev is kept.
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(0, at(10), 10 * kCoreSecond, 1)}}));
  s.apply(node_batch({{"node1", point(0, at(20), 20 * kCoreSecond, 1)}}));
  s.apply(node_batch({{"node1", point(0, at(20), 30 * kCoreSecond, 7)}}));
  const NodeMetrics* n = s.snapshot()->find_node("node1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->cpu_nanocores, 2'000'000'000u);
  EXPECT_EQ(n->memory_bytes, 7u);
}

TEST(StoreNodes, ZeroStartTimeIsServed) {
  Store s(60s, no_history());
  s.apply(node_batch({{"node1", point(0, at(10), 10 * kCoreSecond, 2 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_node("node1"), nullptr);
  s.apply(node_batch({{"node1", point(0, at(20), 20 * kCoreSecond, 3 * kMiB)}}));
  const NodeMetrics* n = s.snapshot()->find_node("node1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->cpu_nanocores, 1'000'000'000u);
  EXPECT_EQ(n->memory_bytes, 3 * kMiB);
  EXPECT_EQ(n->window_ns, 10 * kSecond);
}

TEST(StoreNodes, LargeUint64Values) {
  Store s(60s, no_history());
  const uint64_t big = uint64_t{INT64_MAX} + 10;
  s.apply(node_batch({{"node1", point(0, at(10), big, big)}}));
  s.apply(node_batch({{"node1", point(0, at(20), big + 20 * kCoreSecond, UINT64_MAX)}}));
  const NodeMetrics* n = s.snapshot()->find_node("node1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->cpu_nanocores, 2'000'000'000u);
  EXPECT_EQ(n->memory_bytes, UINT64_MAX);
}

TEST(StoreNodes, NodesAreSortedByName) {
  Store s(60s, no_history());
  s.apply(node_batch({{"c", point(0, at(10), 1, 1)}, {"a", point(0, at(10), 1, 1)}, {"b", point(0, at(10), 1, 1)}}));
  s.apply(node_batch({{"c", point(0, at(20), 2, 1)}, {"a", point(0, at(20), 2, 1)}, {"b", point(0, at(20), 2, 1)}}));
  auto nodes = s.snapshot()->nodes();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].name, "a");
  EXPECT_EQ(nodes[1].name, "b");
  EXPECT_EQ(nodes[2].name, "c");
}

}  // namespace
}  // namespace kmetrics
