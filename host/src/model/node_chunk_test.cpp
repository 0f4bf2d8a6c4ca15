// NodeChunkBuilder: sorting, merging samples emitted apart, replacement of re-emitted samples,
// extended series only where present; make_tick_batch's grouping by node.
#include "model/node_chunk.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/tick_batch.hpp"

namespace kmetrics {
namespace {

MetricsPoint pt(int64_t ts, uint64_t cpu) { return MetricsPoint{ts, 1, cpu, 7}; }

std::vector<std::string> pod_names(const NodeChunk& c) {
  std::vector<std::string> out;
  for (const ChunkPod& p : c.pods()) out.push_back(std::string(c.ns(p)) + "/" + std::string(c.name(p)));
  return out;
}

std::vector<std::string> container_names(const NodeChunk& c, size_t pod) {
  std::vector<std::string> out;
  for (const ChunkContainer& k : c.containers(c.pods()[pod])) out.push_back(std::string(c.name(k)));
  return out;
}

TEST(NodeChunk, SortsPodsByNamespaceThenNameAndContainersByName) {
  NodeChunkBuilder b("n1");
  b.container("b", "x", "z", "n1", pt(1, 1), nullptr);
  b.container("b", "x", "a", "n1", pt(1, 2), nullptr);
  b.container("a", "y", "c", "n1", pt(1, 3), nullptr);
  b.container("a", "b", "c", "n1", pt(1, 4), nullptr);
  auto c = b.finish();
  EXPECT_EQ(c->key(), "n1");
  EXPECT_EQ(pod_names(*c), (std::vector<std::string>{"a/b", "a/y", "b/x"}));
  EXPECT_EQ(container_names(*c, 2), (std::vector<std::string>{"a", "z"}));
  EXPECT_EQ(c->containers(c->pods()[2])[0].point.cpu_cumulative_ns, 2u);
  EXPECT_EQ(c->containers().size(), 4u);
}

TEST(NodeChunk, PodEmittedApartBecomesOnePodAndReEmittedSamplesReplaceEarlierOnes) {
  NodeChunkBuilder b("n1");
  ExtendedPoint rx;
  rx.present = ExtendedPoint::kNetworkRxBytes;
  rx.network_rx_bytes = 5;
  b.pod("ns", "p", "n1", &rx);
  b.container("ns", "p", "c2", "n1", pt(1, 1), nullptr);
  b.container("ns", "q", "c", "n1", pt(1, 2), nullptr);
  b.container("ns", "p", "c1", "n9", pt(1, 3), nullptr);  // p again, after q; the last node named wins
  b.container("ns", "p", "c2", "n9", pt(2, 4), nullptr);  // c2 again: replaces the first
  b.node("n1", pt(1, 10), nullptr);
  b.node("n1", pt(2, 11), nullptr);
  auto c = b.finish();
  ASSERT_EQ(pod_names(*c), (std::vector<std::string>{"ns/p", "ns/q"}));
  const ChunkPod& p = c->pods()[0];
  EXPECT_EQ(container_names(*c, 0), (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(c->containers(p)[1].point.cpu_cumulative_ns, 4u);
  EXPECT_EQ(c->str(p.node), "n9");
  ASSERT_NE(c->extended(p.extended), nullptr);  // a container sample does not clear the pod's series
  EXPECT_EQ(c->extended(p.extended)->network_rx_bytes, 5u);
  EXPECT_EQ(c->freshness(p), 2);
  ASSERT_EQ(c->nodes().size(), 1u);
  EXPECT_EQ(c->nodes()[0].point.cpu_cumulative_ns, 11u);
}

TEST(NodeChunk, ExtendedSeriesOnlyWhereSomethingIsPresent) {
  NodeChunkBuilder b;
  ExtendedPoint none;
  ExtendedPoint rss;
  rss.present = ExtendedPoint::kMemoryRss;
  rss.memory_rss = 3;
  b.container("ns", "p", "a", "", pt(1, 1), &none);
  b.container("ns", "p", "b", "", pt(1, 1), &rss);
  b.pod("ns", "p", "", nullptr);
  auto c = b.finish();
  const auto cs = c->containers(c->pods()[0]);
  EXPECT_EQ(c->extended(cs[0].extended), nullptr);
  ASSERT_NE(c->extended(cs[1].extended), nullptr);
  EXPECT_EQ(c->extended(cs[1].extended)->memory_rss, 3u);
  EXPECT_EQ(c->extended(c->pods()[0].extended), nullptr);
  EXPECT_EQ(c->key(), "");
}

TEST(NodeChunk, PodWithoutContainersIsKeptAndBuilderIsReusable) {
  NodeChunkBuilder b("k");
  b.pod("ns", "empty", "n", nullptr);
  auto first = b.finish();
  ASSERT_EQ(first->pods().size(), 1u);
  EXPECT_EQ(first->pods()[0].container_count, 0u);
  EXPECT_EQ(first->freshness(first->pods()[0]), 0);
  EXPECT_FALSE(first->empty());

  auto second = b.finish();
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(second->key(), "k");
  b.container("ns", "p", "c", "n", pt(1, 1), nullptr);
  EXPECT_EQ(b.finish()->pods().size(), 1u);
  EXPECT_EQ(first->pods().size(), 1u);  // earlier chunks are unaffected

  b.container("ns", "dropped", "c", "n", pt(1, 1), nullptr);
  b.reset("other");
  b.node("n", pt(1, 1), nullptr);
  auto third = b.finish();
  EXPECT_EQ(third->key(), "other");
  EXPECT_TRUE(third->pods().empty());
  EXPECT_EQ(third->nodes().size(), 1u);
}

TEST(TickBatch, HandBuiltBatchIsGroupedByNode) {
  Batch batch;
  batch.nodes["n1"].point = pt(1, 1);
  batch.nodes["n2"].point = pt(1, 2);
  batch.pods[{"ns", "a"}].node = "n2";
  batch.pods[{"ns", "a"}].containers["c"].point = pt(1, 3);
  batch.pods[{"ns", "b"}].node = "n3";  // no node sample for n3
  const TickBatch t = make_tick_batch(batch);
  EXPECT_TRUE(t.objects_unique);
  ASSERT_EQ(t.chunks.size(), 3u);
  EXPECT_EQ(t.chunks[0]->key(), "n1");
  EXPECT_EQ(t.chunks[1]->key(), "n2");
  EXPECT_EQ(t.chunks[2]->key(), "n3");
  EXPECT_EQ(t.chunks[1]->pods().size(), 1u);
  EXPECT_EQ(t.chunks[1]->nodes().size(), 1u);
  EXPECT_EQ(t.chunks[2]->nodes().size(), 0u);
  EXPECT_EQ(t.node_count(), 2u);
  EXPECT_EQ(t.pod_count(), 2u);
  EXPECT_EQ(t.container_count(), 1u);
}

}  // namespace
}  // namespace kmetrics
