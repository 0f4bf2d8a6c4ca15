// Pod and container scenarios from metrics-server pkg/storage/pod_test.go (reference/metrics-server.md §5).
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
using testing::kSecond;
using testing::kT0;
using testing::pod_batch;
using testing::no_history;
using testing::point;

const PodRef kPod1{"ns1", "pod1"};

TEST(StorePods, ProvidesMetricsAfterTwoBatchesAndForgetsOnEmptyBatch) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 1 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);

  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(125), 6 * kCoreSecond, 5 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ref, kPod1);
  EXPECT_EQ(p->node, "node1");
  EXPECT_EQ(p->timestamp, at(125));
  EXPECT_EQ(p->window_ns, 5 * kSecond);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].name, "container1");
  EXPECT_EQ(p->containers[0].cpu_nanocores, 1'000'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, 5 * kMiB);
  EXPECT_EQ(s.snapshot()->find_pod({"ns1", "pod2"}), nullptr);

  s.apply(Batch{});
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  EXPECT_TRUE(s.snapshot()->pods().empty());
}

TEST(StorePods, PodTimestampAndWindowComeFromEarliestContainer) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(110), 1 * kCoreSecond, 4 * kMiB)},
                            {"container2", point(kT0, at(115), 2 * kCoreSecond, 5 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 6 * kCoreSecond, 6 * kMiB)},
                            {"container2", point(kT0, at(125), 7 * kCoreSecond, 7 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->timestamp, at(120));
  EXPECT_EQ(p->window_ns, 10 * kSecond);
  ASSERT_EQ(p->containers.size(), 2u);
  EXPECT_EQ(p->containers[0].name, "container1");
  EXPECT_EQ(p->containers[0].cpu_nanocores, 500'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, 6 * kMiB);
  EXPECT_EQ(p->containers[1].name, "container2");
  EXPECT_EQ(p->containers[1].cpu_nanocores, 500'000'000u);
  EXPECT_EQ(p->containers[1].memory_bytes, 7 * kMiB);
}

TEST(StorePods, EarliestContainerWinsWhateverTheNameOrder) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"a", point(kT0, at(115), 0, 1)}, {"b", point(kT0, at(103), 0, 1)}}));
  s.apply(pod_batch(kPod1, {{"a", point(kT0, at(125), 0, 1)}, {"b", point(kT0, at(120), 0, 1)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->timestamp, at(120));
  EXPECT_EQ(p->window_ns, 17 * kSecond);
}

TEST(StorePods, RepeatedIdenticalBatchIsNotServed) {
  Store s(60s, no_history());
  const Batch b = pod_batch(kPod1, {{"container1", point(kT0, at(110), 1 * kCoreSecond, 4 * kMiB)}});
  s.apply(b);
  s.apply(b);
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 0u);
}

TEST(StorePods, PointsGaugeCountsContainersWithPrev) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(110), 1 * kCoreSecond, 4 * kMiB)},
                            {"container2", point(kT0, at(115), 2 * kCoreSecond, 5 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 0u);
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 6 * kCoreSecond, 6 * kMiB)},
                            {"container2", point(kT0, at(125), 7 * kCoreSecond, 7 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 2u);
  EXPECT_EQ(s.snapshot()->points().nodes_with_prev, 0u);
  EXPECT_EQ(s.snapshot()->points().pods_with_prev, 1u);
}

TEST(StorePods, RestartedContainerUsesWindowFromStartTime) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(10), 1 * kCoreSecond, 4 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(at(15), at(25), 5 * kCoreSecond, 5 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->timestamp, at(25));
  EXPECT_EQ(p->window_ns, 10 * kSecond);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 500'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, 5 * kMiB);
}

TEST(StorePods, RestartedLongAgoDropsPrevUntilNextBatch) {
  // Restart detected (start 15 s > last timestamp 10 s) and too old for the fresh rule (85 s >= 60 s).
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"c", point(kT0, at(10), 100 * kCoreSecond, 1)}}));
  s.apply(pod_batch(kPod1, {{"c", point(at(15), at(100), 3 * kCoreSecond, 1)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  s.apply(pod_batch(kPod1, {{"c", point(at(15), at(110), 5 * kCoreSecond, 1)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 200'000'000u);
  EXPECT_EQ(p->window_ns, 10 * kSecond);
}

TEST(StorePods, CpuDecreaseReturnsPodWithNoContainers) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(110), 20 * kCoreSecond, 4 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 10 * kCoreSecond, 4 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->containers.empty());
  EXPECT_EQ(p->timestamp, 0);
  EXPECT_EQ(p->window_ns, 0);
  EXPECT_EQ(s.snapshot()->rate_errors().containers, 1u);
}

TEST(StorePods, CpuDecreaseSkipsOnlyThatContainer) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"bad", point(kT0, at(100), 20 * kCoreSecond, 1)},
                            {"good", point(kT0, at(105), 1 * kCoreSecond, 2)}}));
  s.apply(pod_batch(kPod1, {{"bad", point(kT0, at(110), 10 * kCoreSecond, 1)},
                            {"good", point(kT0, at(115), 3 * kCoreSecond, 2)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].name, "good");
  EXPECT_EQ(p->containers[0].cpu_nanocores, 200'000'000u);
  EXPECT_EQ(p->timestamp, at(115)) << "the skipped container does not take part in the earliest timestamp";
}

TEST(StorePods, PointOlderThanPrevDropsPrev) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(1115), 20 * kCoreSecond, 4 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(1125), 40 * kCoreSecond, 4 * kMiB)}}));
  ASSERT_NE(s.snapshot()->find_pod(kPod1), nullptr);
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(115), 10 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
}

TEST(StorePods, PointBetweenPrevAndLastKeepsPrev) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(115), 10 * kCoreSecond, 4 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(125), 50 * kCoreSecond, 5 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 35 * kCoreSecond, 5 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->timestamp, at(120));
  EXPECT_EQ(p->window_ns, 5 * kSecond);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 5'000'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, 5 * kMiB);
}

TEST(StorePods, LongRunningContainerNeedsTwoBatches) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 1 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
}

TEST(StorePods, FreshContainerIsServedAfterOneBatch) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(10), 10 * kCoreSecond, 4 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->timestamp, at(10));
  EXPECT_EQ(p->window_ns, 10 * kSecond);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 1'000'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, 4 * kMiB);
}

TEST(StorePods, FreshContainerYoungerThanTenSecondsIsNotServed) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(9), 10 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
}

TEST(StorePods, TimestampBeforeStartIsNotServed) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(-10), 10 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
}

TEST(StorePods, FreshRuleUpperBoundIsTheConstructorResolution) {
  {
    Store s(60s, no_history());
    s.apply(pod_batch(kPod1, {{"c", point(kT0, kT0 + 60 * kSecond, kCoreSecond, 1)}}));
    EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr) << "age == resolution is not fresh";
  }
  {
    Store s(60s, no_history());
    s.apply(pod_batch(kPod1, {{"c", point(kT0, kT0 + 60 * kSecond - 1, kCoreSecond, 1)}}));
    EXPECT_NE(s.snapshot()->find_pod(kPod1), nullptr);
  }
  {
    Store s(15s, no_history());
    s.apply(pod_batch(kPod1, {{"c", point(kT0, at(20), kCoreSecond, 1)}}));
    EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr) << "20 s is not fresh at 15 s resolution";
  }
  {
    Store s(30s, no_history());
    s.apply(pod_batch(kPod1, {{"c", point(kT0, at(20), kCoreSecond, 1)}}));
    const PodMetrics* p = s.snapshot()->find_pod(kPod1);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->containers[0].cpu_nanocores, 50'000'000u);
    EXPECT_EQ(p->window_ns, 20 * kSecond);
  }
  {
    Store s(60s, no_history());
    s.apply(pod_batch(kPod1, {{"c", point(kT0, kT0 + 10 * kSecond, kCoreSecond, 1)}}));
    EXPECT_NE(s.snapshot()->find_pod(kPod1), nullptr) << "exactly 10 s is fresh";
  }
}

TEST(StorePods, ZeroStartTimeIsServed) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(0, at(120), 1 * kCoreSecond, 4 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  s.apply(pod_batch(kPod1, {{"container1", point(0, at(125), 6 * kCoreSecond, 5 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->timestamp, at(125));
  EXPECT_EQ(p->window_ns, 5 * kSecond);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 1'000'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, 5 * kMiB);
}

TEST(StorePods, ContainerAddedInSecondBatchOmitsWholePod) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(110), 1 * kCoreSecond, 4 * kMiB)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 6 * kCoreSecond, 6 * kMiB)},
                            {"container2", point(kT0, at(120), 8 * kCoreSecond, 5 * kMiB)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 1u);
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(130), 7 * kCoreSecond, 6 * kMiB)},
                            {"container2", point(kT0, at(130), 10 * kCoreSecond, 5 * kMiB)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->containers.size(), 2u);
  EXPECT_EQ(p->containers[1].cpu_nanocores, 200'000'000u);
}

TEST(StorePods, ContainerRemovedKeepsTheOthersPrev) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"c1", point(kT0, at(100), 1 * kCoreSecond, 1)}, {"c2", point(kT0, at(100), 1 * kCoreSecond, 2)}}));
  s.apply(pod_batch(kPod1, {{"c1", point(kT0, at(110), 2 * kCoreSecond, 1)}, {"c2", point(kT0, at(110), 2 * kCoreSecond, 2)}}));
  s.apply(pod_batch(kPod1, {{"c1", point(kT0, at(120), 4 * kCoreSecond, 1)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].name, "c1");
  EXPECT_EQ(p->containers[0].cpu_nanocores, 200'000'000u);
}

TEST(StorePods, ContainerInsertedInTheMiddleKeepsNeighboursPrev) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"a", point(kT0, at(100), 1 * kCoreSecond, 1)}, {"c", point(kT0, at(100), 1 * kCoreSecond, 1)}}));
  s.apply(pod_batch(kPod1, {{"a", point(kT0, at(110), 2 * kCoreSecond, 1)},
                            {"b", point(kT0, at(110), 2 * kCoreSecond, 1)},
                            {"c", point(kT0, at(110), 3 * kCoreSecond, 1)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  EXPECT_EQ(s.snapshot()->points().containers_with_prev, 2u);
  s.apply(pod_batch(kPod1, {{"a", point(kT0, at(120), 3 * kCoreSecond, 1)},
                            {"b", point(kT0, at(120), 5 * kCoreSecond, 1)},
                            {"c", point(kT0, at(120), 6 * kCoreSecond, 1)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->containers.size(), 3u);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 100'000'000u);
  EXPECT_EQ(p->containers[1].cpu_nanocores, 300'000'000u);
  EXPECT_EQ(p->containers[2].cpu_nanocores, 300'000'000u);
}

// Deliberate deviation (store.hpp): metrics-server would serve container2 against a zero-valued prev.
TEST(StorePods, RepeatedPointOfContainerWithoutPrevStaysWithoutPrev) {
  Store s(60s, no_history());
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(110), 1 * kCoreSecond, 1)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(120), 2 * kCoreSecond, 1)},
                            {"container2", point(kT0, at(120), 8 * kCoreSecond, 1)}}));
  s.apply(pod_batch(kPod1, {{"container1", point(kT0, at(130), 3 * kCoreSecond, 1)},
                            {"container2", point(kT0, at(120), 8 * kCoreSecond, 1)}}));
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
}

TEST(StorePods, PodWithoutContainersIsNotServed) {
  Store s(60s, no_history());
  Batch b;
  b.pods[kPod1].node = "node1";
  s.apply(b);
  s.apply(b);
  EXPECT_EQ(s.snapshot()->find_pod(kPod1), nullptr);
  EXPECT_EQ(s.snapshot()->points().pods_with_prev, 0u);
}

TEST(StorePods, LargeUint64Values) {
  Store s(60s, no_history());
  const uint64_t big = UINT64_MAX - 5 * kCoreSecond;
  s.apply(pod_batch(kPod1, {{"c", point(0, at(100), big, uint64_t{INT64_MAX} + 20)}}));
  s.apply(pod_batch(kPod1, {{"c", point(0, at(105), UINT64_MAX, UINT64_MAX)}}));
  const PodMetrics* p = s.snapshot()->find_pod(kPod1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->containers[0].cpu_nanocores, 1'000'000'000u);
  EXPECT_EQ(p->containers[0].memory_bytes, UINT64_MAX);
}

TEST(StorePods, PodsAreIndependent) {
  Store s(60s, no_history());
  const PodRef pod2{"ns2", "pod2"};
  Batch b1;
  add_pod(b1, kPod1, {{"c", point(kT0, at(100), 1 * kCoreSecond, 1)}});
  add_pod(b1, pod2, {{"c", point(kT0, at(100), 5 * kCoreSecond, 1)}});
  s.apply(b1);
  Batch b2;
  add_pod(b2, kPod1, {{"c", point(kT0, at(110), 2 * kCoreSecond, 1)}});
  add_pod(b2, pod2, {{"c", point(kT0, at(110), 1 * kCoreSecond, 1)}}, "node2");  // decreased
  s.apply(b2);
  auto snap = s.snapshot();
  ASSERT_NE(snap->find_pod(kPod1), nullptr);
  EXPECT_EQ(snap->find_pod(kPod1)->containers.size(), 1u);
  ASSERT_NE(snap->find_pod(pod2), nullptr);
  EXPECT_TRUE(snap->find_pod(pod2)->containers.empty());
  EXPECT_EQ(snap->find_pod(pod2)->node, "node2");
}

}  // namespace
}  // namespace kmetrics
