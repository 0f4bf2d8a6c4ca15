// Readiness (metrics-server v0.9 pkg/storage/ready_test.go): a node AND a pod with a previous point.
#include <gtest/gtest.h>

#include <chrono>

#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using testing::add_pod;
using testing::at;
using testing::kCoreSecond;
using testing::kMiB;
using testing::kT0;
using testing::node_batch;
using testing::pod_batch;
using testing::point;

const PodRef kPod1{"ns1", "pod1"};

Batch combined(double node_ts, uint64_t node_cpu, double pod_ts, uint64_t pod_cpu, UnixNanos pod_start = kT0) {
  Batch b = node_batch({{"node1", point(kT0, at(node_ts), node_cpu, 2 * kMiB)}});
  add_pod(b, kPod1, {{"container1", point(pod_start, at(pod_ts), pod_cpu, 4 * kMiB)}});
  return b;
}

TEST(StoreReady, NotReadyBeforeAnyApply) {
  Store s(60s);
  auto snap = s.snapshot();
  ASSERT_NE(snap, nullptr);
  EXPECT_FALSE(snap->ready());
  EXPECT_EQ(snap->generation(), 0u);
  EXPECT_TRUE(snap->nodes().empty());
  EXPECT_TRUE(snap->pods().empty());
}

TEST(StoreReady, NotReadyWithOnlyNodes) {
  Store s(60s);
  s.apply(node_batch({{"node1", point(kT0, at(10), 10 * kCoreSecond, 2 * kMiB)}}));
  EXPECT_FALSE(s.snapshot()->ready());
  s.apply(node_batch({{"node1", point(kT0, at(20), 20 * kCoreSecond, 3 * kMiB)}}));
  EXPECT_FALSE(s.snapshot()->ready());
  EXPECT_NE(s.snapshot()->find_node("node1"), nullptr);
}

TEST(StoreReady, NotReadyWithOnlyPods) {
  Store s(60s);
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 1 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_FALSE(s.snapshot()->ready());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(125), 6 * kCoreSecond, 5 * kMiB)}}));
  EXPECT_FALSE(s.snapshot()->ready());
  EXPECT_NE(s.snapshot()->find_pod(kPod1), nullptr);
}

TEST(StoreReady, ReadyAfterSecondBatchWithBoth) {
  Store s(60s);
  s.apply(combined(10, 10 * kCoreSecond, 120, 1 * kCoreSecond));
  EXPECT_FALSE(s.snapshot()->ready());
  s.apply(combined(20, 20 * kCoreSecond, 125, 6 * kCoreSecond));
  EXPECT_TRUE(s.snapshot()->ready());
  EXPECT_EQ(s.snapshot()->generation(), 2u);
}

TEST(StoreReady, FreshContainerStillWaitsForTheNode) {
  Store s(60s);
  s.apply(combined(10, 10 * kCoreSecond, 10, 1 * kCoreSecond));
  EXPECT_NE(s.snapshot()->find_pod(kPod1), nullptr) << "fresh container served after one batch";
  EXPECT_FALSE(s.snapshot()->ready()) << "but the node has no prev yet";
  s.apply(combined(20, 20 * kCoreSecond, 20, 2 * kCoreSecond));
  EXPECT_TRUE(s.snapshot()->ready());
}

TEST(StoreReady, CountsStoredPrevPointsEvenWhenTheRateFails) {
  // metrics-server's Ready() looks at len(prev), not at what would be served.
  Store s(60s);
  s.apply(combined(10, 10 * kCoreSecond, 120, 9 * kCoreSecond));
  s.apply(combined(20, 20 * kCoreSecond, 125, 1 * kCoreSecond));
  EXPECT_TRUE(s.snapshot()->ready());
  ASSERT_NE(s.snapshot()->find_pod(kPod1), nullptr);
  EXPECT_TRUE(s.snapshot()->find_pod(kPod1)->containers.empty());
}

TEST(StoreReady, EmptyBatchMakesItNotReadyAgain) {
  Store s(60s);
  s.apply(combined(10, 10 * kCoreSecond, 120, 1 * kCoreSecond));
  s.apply(combined(20, 20 * kCoreSecond, 125, 6 * kCoreSecond));
  ASSERT_TRUE(s.snapshot()->ready());
  s.apply(Batch{});
  EXPECT_FALSE(s.snapshot()->ready());
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 0u);
}

}  // namespace
}  // namespace kmetrics
