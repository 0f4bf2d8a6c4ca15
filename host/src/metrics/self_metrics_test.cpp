#include "metrics/self_metrics.hpp"

#include <gtest/gtest.h>

namespace kmetrics {
namespace {

TEST(SelfMetrics, CounterGaugeHistogramAppearInExposition) {
  SelfMetrics m;
  std::string err;
  auto* c = m.registerFamily(MetricKind::kCounter, "kmetrics_test_total", "Test counter.", {"success"}, {}, &err);
  auto* g = m.registerFamily(MetricKind::kGauge, "kmetrics_test_gauge", "Test gauge.", {"node"}, {}, &err);
  auto* h = m.registerFamily(MetricKind::kHistogram, "kmetrics_test_seconds", "Test histogram.", {}, {1, 2}, &err);
  ASSERT_NE(c, nullptr);
  ASSERT_NE(g, nullptr);
  ASSERT_NE(h, nullptr);
  EXPECT_TRUE(c->record({"true"}, 2));
  EXPECT_TRUE(c->record({"true"}, 1));
  EXPECT_TRUE(g->record({"node-1"}, 42));
  EXPECT_TRUE(h->record({}, 1.5));
  const std::string text = m.exposition();
  EXPECT_NE(text.find("kmetrics_test_total{success=\"true\"} 3"), std::string::npos) << text;
  EXPECT_NE(text.find("kmetrics_test_gauge{node=\"node-1\"} 42"), std::string::npos) << text;
  EXPECT_NE(text.find("kmetrics_test_seconds_bucket{le=\"2\"} 1"), std::string::npos) << text;
}

TEST(SelfMetrics, SameRegistrationIsSharedAndConflictsAreRefused) {
  SelfMetrics m;
  std::string err;
  auto* a = m.registerFamily(MetricKind::kGauge, "kmetrics_x", "x", {"node"}, {}, &err);
  auto* b = m.registerFamily(MetricKind::kGauge, "kmetrics_x", "x", {"node"}, {}, &err);
  EXPECT_EQ(a, b);
  EXPECT_EQ(m.registerFamily(MetricKind::kCounter, "kmetrics_x", "x", {"node"}, {}, &err), nullptr);
  EXPECT_NE(err.find("already registered"), std::string::npos);
  EXPECT_EQ(m.registerFamily(MetricKind::kGauge, "9bad", "x", {}, {}, &err), nullptr);
  EXPECT_EQ(m.registerFamily(MetricKind::kGauge, "ok_name", "x", {"__reserved"}, {}, &err), nullptr);
}

TEST(SelfMetrics, RemoveDeletesOneSeriesAndBadLabelCountsAreRejected) {
  SelfMetrics m;
  std::string err;
  auto* g = m.registerFamily(MetricKind::kGauge, "kmetrics_node_gauge", "x", {"node"}, {}, &err);
  g->record({"a"}, 1);
  g->record({"b"}, 2);
  g->remove({"a"});
  const std::string text = m.exposition();
  EXPECT_EQ(text.find("node=\"a\""), std::string::npos);
  EXPECT_NE(text.find("node=\"b\""), std::string::npos);
  EXPECT_FALSE(g->record({}, 1));
  auto* c = m.registerFamily(MetricKind::kCounter, "kmetrics_c_total", "x", {}, {}, &err);
  EXPECT_FALSE(c->record({}, -1));
}

}  // namespace
}  // namespace kmetrics
