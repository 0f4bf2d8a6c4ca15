#include "store/source_merge.hpp"

#include <gtest/gtest.h>

#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using testing::add_pod;
using testing::at;
using testing::node_batch;
using testing::point;
using testing::to_batch;

TickBatch shared(const Batch& b) { return make_tick_batch(b); }

Batch merge(const std::vector<SourceBatch>& sources) { return to_batch(merge_source_batches(sources)); }

TEST(SourceMerge, HigherPrioritySourceWinsEvenWhenOlder) {
  std::vector<SourceBatch> sources = {
      {1, shared(node_batch({{"n1", point(0, at(20), 111, 1)}}))},
      {5, shared(node_batch({{"n1", point(0, at(10), 555, 1)}}))},
  };
  Batch merged = merge(sources);
  ASSERT_EQ(merged.nodes.size(), 1u);
  EXPECT_EQ(merged.nodes.at("n1").point.cpu_cumulative_ns, 555u);
}

TEST(SourceMerge, LowerPriorityFillsOnlyMissingObjects) {
  Batch low = node_batch({{"n1", point(0, at(30), 1, 1)}, {"n2", point(0, at(30), 2, 1)}});
  add_pod(low, {"ns", "p1"}, {{"c", point(0, at(30), 10, 1)}});
  add_pod(low, {"ns", "p2"}, {{"c", point(0, at(30), 20, 1)}, {"extra", point(0, at(30), 21, 1)}});
  Batch high = node_batch({{"n1", point(0, at(10), 100, 1)}});
  add_pod(high, {"ns", "p2"}, {{"c", point(0, at(10), 200, 1)}});
  std::vector<SourceBatch> sources = {{0, shared(low)}, {10, shared(high)}};
  Batch merged = merge(sources);

  ASSERT_EQ(merged.nodes.size(), 2u);
  EXPECT_EQ(merged.nodes.at("n1").point.cpu_cumulative_ns, 100u);
  EXPECT_EQ(merged.nodes.at("n2").point.cpu_cumulative_ns, 2u);
  ASSERT_EQ(merged.pods.size(), 2u);
  EXPECT_EQ(merged.pods.at({"ns", "p1"}).containers.at("c").point.cpu_cumulative_ns, 10u);
  // The pod is taken whole from the winner: no container is mixed in from the lower source.
  const PodSample& p2 = merged.pods.at({"ns", "p2"});
  ASSERT_EQ(p2.containers.size(), 1u);
  EXPECT_EQ(p2.containers.at("c").point.cpu_cumulative_ns, 200u);
}

TEST(SourceMerge, EqualPriorityTakesFreshestPoint) {
  Batch a;
  add_pod(a, {"ns", "p"}, {{"c1", point(0, at(10), 1, 1)}, {"c2", point(0, at(40), 1, 1)}});
  Batch b;
  add_pod(b, {"ns", "p"}, {{"c1", point(0, at(30), 2, 1)}, {"c2", point(0, at(30), 2, 1)}});
  std::vector<SourceBatch> sources = {
      {3, shared(node_batch({{"n", point(0, at(10), 1, 1)}}))},
      {3, shared(node_batch({{"n", point(0, at(20), 2, 1)}}))},
      {3, shared(a)},
      {3, shared(b)},
  };
  Batch merged = merge(sources);
  EXPECT_EQ(merged.nodes.at("n").point.cpu_cumulative_ns, 2u);
  // a's newest container (40 s) is fresher than b's (30 s).
  EXPECT_EQ(merged.pods.at({"ns", "p"}).containers.at("c1").point.cpu_cumulative_ns, 1u);
}

TEST(SourceMerge, FullTieKeepsFirstListedSource) {
  std::vector<SourceBatch> sources = {
      {1, shared(node_batch({{"n", point(0, at(10), 1, 1)}}))},
      {1, shared(node_batch({{"n", point(0, at(10), 2, 1)}}))},
  };
  EXPECT_EQ(merge(sources).nodes.at("n").point.cpu_cumulative_ns, 1u);
}

TEST(SourceMerge, NullAndEmptySourcesAreIgnored) {
  std::vector<SourceBatch> sources = {{9, TickBatch{}}, {8, shared(Batch{})}, {1, shared(node_batch({{"n", point(0, at(1), 7, 1)}}))}};
  Batch merged = merge(sources);
  ASSERT_EQ(merged.nodes.size(), 1u);
  EXPECT_EQ(merged.nodes.at("n").point.cpu_cumulative_ns, 7u);
  EXPECT_TRUE(merge_source_batches({}).chunks.empty());
}

TEST(SourceMerge, ExtendedDataTravelsWithTheWinningObject) {
  Batch low = node_batch({{"n", point(0, at(10), 1, 1)}});
  low.nodes["n"].extended.present = ExtendedPoint::kNetworkRxBytes;
  low.nodes["n"].extended.network_rx_bytes = 42;
  Batch high = node_batch({{"n", point(0, at(10), 2, 1)}});
  std::vector<SourceBatch> sources = {{0, shared(low)}, {1, shared(high)}};
  Batch merged = merge(sources);
  EXPECT_EQ(merged.nodes.at("n").extended.present, 0u);
}

TEST(SourceMerge, OneSourcePassesItsChunksThroughUncopied) {
  Batch b = node_batch({{"n1", point(0, at(10), 1, 1)}, {"n2", point(0, at(10), 2, 1)}});
  add_pod(b, {"ns", "p"}, {{"c", point(0, at(10), 3, 1)}}, "n1");
  const TickBatch only = make_tick_batch(b);
  std::vector<SourceBatch> sources = {{7, TickBatch{}}, {3, only}, {1, TickBatch{}}};
  const TickBatch merged = merge_source_batches(sources);
  ASSERT_EQ(merged.chunks.size(), only.chunks.size());
  for (size_t i = 0; i < only.chunks.size(); ++i) EXPECT_EQ(merged.chunks[i], only.chunks[i]);  // same objects
  EXPECT_EQ(merged.objects_unique, only.objects_unique);
}

TEST(SourceMerge, MergedBatchHasOneChunkPerNodeAndUniqueObjects) {
  Batch a = node_batch({{"n1", point(0, at(10), 1, 1)}});
  add_pod(a, {"ns", "p1"}, {{"c", point(0, at(10), 1, 1)}}, "n1");
  Batch b = node_batch({{"n2", point(0, at(10), 2, 1)}});
  add_pod(b, {"ns", "p2"}, {{"c", point(0, at(10), 2, 1)}}, "n2");
  add_pod(b, {"ns", "p1"}, {{"c", point(0, at(5), 9, 1)}}, "n2");  // older than a's
  std::vector<SourceBatch> sources = {{0, shared(a)}, {0, shared(b)}};
  const TickBatch merged = merge_source_batches(sources);
  EXPECT_TRUE(merged.objects_unique);
  ASSERT_EQ(merged.chunks.size(), 2u);
  EXPECT_EQ(merged.chunks[0]->key(), "n1");
  EXPECT_EQ(merged.chunks[1]->key(), "n2");
  EXPECT_EQ(merged.pod_count(), 2u);
  EXPECT_EQ(to_batch(merged).pods.at({"ns", "p1"}).node, "n1");
}

// Within one source a pod reported by two nodes: the freshest copy, a tie going to the later chunk.
TEST(SourceMerge, DeduplicateKeepsTheFreshestThenTheLaterChunk) {
  auto chunk = [](const std::string& node, UnixNanos ts, uint64_t cpu) {
    NodeChunkBuilder b(node);
    b.node(node, point(0, ts, cpu, 1), nullptr);
    b.container("ns", "p", "c", node, point(0, ts, cpu, 1), nullptr);
    return b.finish();
  };
  TickBatch batch;
  batch.chunks = {chunk("n1", at(20), 1), chunk("n1", at(10), 2), chunk("n2", at(20), 3)};
  const Batch fresh = to_batch(deduplicate(batch));
  EXPECT_EQ(fresh.pods.at({"ns", "p"}).containers.at("c").point.cpu_cumulative_ns, 3u);
  EXPECT_EQ(fresh.pods.at({"ns", "p"}).node, "n2");
  EXPECT_EQ(fresh.nodes.at("n1").point.cpu_cumulative_ns, 1u);

  batch.objects_unique = true;  // said to be unique: taken as it is
  EXPECT_EQ(deduplicate(batch).chunks, batch.chunks);
}

}  // namespace
}  // namespace kmetrics
