// The store over per-node chunks: pods moving between nodes keep their points, a pod or node in two
// chunks is served once (the freshest), the (namespace, name) order survives churn, chunk keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using namespace std::chrono_literals;
using namespace testing;

std::shared_ptr<const NodeChunk> chunk(const std::string& key, std::initializer_list<std::pair<PodRef, MetricsPoint>> pods,
                                       const MetricsPoint* node_point = nullptr) {
  NodeChunkBuilder b(key);
  if (node_point != nullptr) b.node(key, *node_point, nullptr);
  for (const auto& [ref, p] : pods) b.container(ref.ns, ref.name, "c", key, p, nullptr);
  return b.finish();
}

TickBatch tick(std::vector<std::shared_ptr<const NodeChunk>> chunks) {
  TickBatch t;
  t.chunks = std::move(chunks);
  return t;
}

// The pod is served from `node` with one container using `cpu` nanocores.
void expect_served(const Store& s, const PodRef& ref, std::string_view node, uint64_t cpu) {
  const PodMetrics* p = s.snapshot()->find_pod(ref);
  ASSERT_NE(p, nullptr) << ref.name;
  EXPECT_EQ(p->node, node);
  ASSERT_EQ(p->containers.size(), 1u);
  EXPECT_EQ(p->containers[0].cpu_nanocores, cpu);
}

const PodRef kA{"ns", "a"};
const PodRef kB{"ns", "b"};

TEST(StoreChunks, PodMovedToAnotherNodeKeepsItsPoints) {
  Store s(60s, no_history());
  s.apply(tick({chunk("n1", {{kA, point(kT0, at(100), 1 * kCoreSecond, 1)}, {kB, point(kT0, at(100), 1 * kCoreSecond, 1)}})}));
  // a moves to n2 while n1 keeps reporting b.
  s.apply(tick({chunk("n1", {{kB, point(kT0, at(110), 2 * kCoreSecond, 1)}}),
                chunk("n2", {{kA, point(kT0, at(110), 3 * kCoreSecond, 2)}})}));
  expect_served(s, kA, "n2", 200'000'000u);
  ASSERT_NE(s.snapshot()->find_pod(kB), nullptr);

  // n1 stops reporting altogether and b moves to n3.
  s.apply(tick({chunk("n2", {{kA, point(kT0, at(120), 4 * kCoreSecond, 2)}}),
                chunk("n3", {{kB, point(kT0, at(120), 4 * kCoreSecond, 2)}})}));
  expect_served(s, kB, "n3", 200'000'000u);
  EXPECT_EQ(s.snapshot()->pods().size(), 2u);
}

TEST(StoreChunks, PodReportedByTwoNodesIsServedOnceFromTheFreshest) {
  Store s(60s, no_history());
  s.apply(tick({chunk("n1", {{kA, point(kT0, at(100), 1 * kCoreSecond, 1)}})}));
  // n2 also reports a, with a newer sample of another container (started 71 s earlier: not fresh).
  const auto r = s.apply(tick({chunk("n1", {{kA, point(kT0, at(110), 2 * kCoreSecond, 1)}}),
                               chunk("n2", {{kA, point(at(40), at(111), 1 * kCoreSecond, 5)}})}));
  EXPECT_TRUE(r.duplicates);
  EXPECT_EQ(r.pods, 1u);
  auto snap = s.snapshot();
  // n2's copy is fresher but has no previous point: the pod is not served this tick, and counted once.
  EXPECT_EQ(snap->find_pod(kA), nullptr);
  EXPECT_EQ(snap->pods().size(), 0u);
  EXPECT_EQ(snap->points().containers_with_prev, 0u);

  s.apply(tick({chunk("n1", {{kA, point(kT0, at(120), 3 * kCoreSecond, 1)}}),
                chunk("n2", {{kA, point(at(40), at(121), 2 * kCoreSecond, 5)}})}));
  snap = s.snapshot();
  ASSERT_EQ(snap->pods().size(), 1u);
  EXPECT_EQ(snap->find_pod(kA)->node, "n2");
  EXPECT_EQ(snap->find_pod(kA)->containers[0].memory_bytes, 5u);
  EXPECT_EQ(snap->points().containers_with_prev, 1u);
  EXPECT_EQ(snap->points().pods_with_prev, 1u);

  // Equal freshness: the later chunk.
  s.apply(tick({chunk("n2", {{kA, point(at(40), at(130), 3 * kCoreSecond, 5)}}),
                chunk("n1", {{kA, point(kT0, at(130), 4 * kCoreSecond, 1)}})}));
  EXPECT_EQ(s.snapshot()->find_pod(kA)->node, "n1");

  // n2 stops reporting it: no longer a duplicate.
  const auto after = s.apply(tick({chunk("n1", {{kA, point(kT0, at(140), 5 * kCoreSecond, 1)}})}));
  EXPECT_FALSE(after.duplicates);
  ASSERT_NE(s.snapshot()->find_pod(kA), nullptr);
  EXPECT_EQ(s.snapshot()->find_pod(kA)->node, "n1");
}

TEST(StoreChunks, PodNewInTwoChunksAtOnceIsServedOnce) {
  Store s(60s, no_history());
  for (int t = 0; t < 2; ++t) {
    const auto r = s.apply(tick({chunk("n1", {{kA, point(kT0, at(100 + 10 * t), (1 + t) * kCoreSecond, 1)}}),
                                 chunk("n2", {{kA, point(kT0, at(100 + 10 * t), (1 + 3 * t) * kCoreSecond, 2)},
                                              {kB, point(kT0, at(100 + 10 * t), 1 * kCoreSecond, 1)}})}));
    EXPECT_TRUE(r.duplicates);
    EXPECT_EQ(r.pods, 2u);
  }
  auto snap = s.snapshot();
  ASSERT_EQ(snap->pods().size(), 2u);
  EXPECT_EQ(snap->pods()[0].ref.name, "a");
  EXPECT_EQ(snap->pods()[0].node, "n2");  // equally fresh: the later chunk
  EXPECT_EQ(snap->pods()[0].containers[0].cpu_nanocores, 300'000'000u);
  EXPECT_EQ(snap->points().containers_with_prev, 2u);
}

TEST(StoreChunks, NodeInTwoChunksIsTakenFromTheFreshest) {
  Store s(60s, no_history());
  const MetricsPoint old1 = point(0, at(100), 1 * kCoreSecond, 1);
  s.apply(tick({chunk("n1", {}, &old1)}));
  const MetricsPoint stale = point(0, at(90), 50 * kCoreSecond, 3), fresh = point(0, at(110), 2 * kCoreSecond, 4);
  NodeChunkBuilder other("cluster");
  other.node("n1", stale, nullptr);
  const auto r = s.apply(tick({chunk("n1", {}, &fresh), other.finish()}));
  EXPECT_TRUE(r.duplicates);
  EXPECT_EQ(r.nodes, 1u);
  const NodeMetrics* n = s.snapshot()->find_node("n1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->cpu_nanocores, 100'000'000u);
  EXPECT_EQ(n->memory_bytes, 4u);
}

TEST(StoreChunks, TwoChunksWithOneKeyAreBothApplied) {
  Store s(60s, no_history());
  for (int t = 0; t < 2; ++t) {
    s.apply(tick({chunk("n1", {{kA, point(kT0, at(100 + 10 * t), (1 + t) * kCoreSecond, 1)}}),
                  chunk("n1", {{kB, point(kT0, at(100 + 10 * t), (1 + 2 * t) * kCoreSecond, 1)}})}));
  }
  auto snap = s.snapshot();
  ASSERT_EQ(snap->pods().size(), 2u);
  EXPECT_EQ(snap->find_pod(kA)->containers[0].cpu_nanocores, 100'000'000u);
  EXPECT_EQ(snap->find_pod(kB)->containers[0].cpu_nanocores, 200'000'000u);
}

TEST(StoreChunks, SnapshotKeepsItsChunksAlive) {
  Store s(60s, no_history());
  s.apply(tick({chunk("n1", {{kA, point(kT0, at(100), 1 * kCoreSecond, 1)}})}));
  s.apply(tick({chunk("n1", {{kA, point(kT0, at(110), 2 * kCoreSecond, 1)}})}));
  auto held = s.snapshot();
  for (int t = 2; t < 5; ++t) s.apply(tick({chunk("n2", {{kB, point(kT0, at(100 + 10 * t), t * kCoreSecond, 1)}})}));
  ASSERT_EQ(held->pods().size(), 1u);
  EXPECT_EQ(held->pods()[0].ref.name, "a");
  EXPECT_EQ(held->pods()[0].node, "n1");
  EXPECT_EQ(held->pods()[0].containers[0].name, "c");
}

// Random churn over many ticks: pods appear, leave, move between nodes, nodes come and go. After
// every tick the snapshot must list exactly the pods present in this tick and the previous one,
// sorted, each with the rate of its own counter.
TEST(StoreChunks, OrderAndPointsSurviveChurn) {
  Store s(60s, no_history());
  std::mt19937 rng(42);
  constexpr int kPods = 400, kNodes = 12;
  std::vector<int> where(kPods, -1);  // node of each pod, -1: absent
  for (int p = 0; p < kPods; ++p) where[p] = static_cast<int>(rng() % kNodes);
  std::set<int> previous;
  for (int t = 0; t < 40; ++t) {
    for (int p = 0; p < kPods; ++p) {
      const unsigned r = rng() % 100;
      if (r < 4) where[p] = -1;                                // leaves
      else if (r < 10) where[p] = static_cast<int>(rng() % kNodes);  // appears or moves
    }
    const int down = static_cast<int>(rng() % (kNodes + 4));  // sometimes a node misses a tick
    std::map<int, NodeChunkBuilder> builders;
    std::set<int> present;
    for (int p = 0; p < kPods; ++p) {
      if (where[p] < 0 || where[p] == down) continue;
      const std::string node = "node-" + std::to_string(where[p]);
      auto it = builders.try_emplace(where[p], NodeChunkBuilder(node)).first;
      // Pod p's CPU grows by p+1 core-seconds per 10 s tick.
      const uint64_t cpu = static_cast<uint64_t>(t) * static_cast<uint64_t>(p + 1) * kCoreSecond;
      it->second.container("ns-" + std::to_string(p % 7), "pod-" + std::to_string(p), "c", node,
                           point(kT0, at(100 + 10 * t), cpu, 1), nullptr);
      present.insert(p);
    }
    TickBatch batch;
    for (auto& [_, b] : builders) batch.chunks.push_back(b.finish());
    std::shuffle(batch.chunks.begin(), batch.chunks.end(), rng);
    const auto result = s.apply(batch);
    EXPECT_EQ(result.pods, present.size());
    EXPECT_FALSE(result.duplicates);

    auto snap = s.snapshot();
    std::vector<std::pair<std::string, std::string>> expected;
    for (int p : present) {
      if (previous.count(p)) expected.emplace_back("ns-" + std::to_string(p % 7), "pod-" + std::to_string(p));
    }
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(snap->pods().size(), expected.size()) << "tick " << t;
    for (size_t i = 0; i < expected.size(); ++i) {
      const PodMetrics& m = snap->pods()[i];
      ASSERT_EQ(m.ref.ns, expected[i].first) << "tick " << t;
      ASSERT_EQ(m.ref.name, expected[i].second) << "tick " << t;
      const int p = std::stoi(std::string(m.ref.name.substr(4)));
      ASSERT_EQ(m.containers.size(), 1u);
      EXPECT_EQ(m.containers[0].cpu_nanocores, static_cast<uint64_t>(p + 1) * 100'000'000u) << "tick " << t;
      EXPECT_EQ(m.node, "node-" + std::to_string(where[p]));
      EXPECT_EQ(snap->find_pod(m.ref), &m);
    }
    previous = present;
  }
}

}  // namespace
}  // namespace kmetrics
