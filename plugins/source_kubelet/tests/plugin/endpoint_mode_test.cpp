#include "plugin/endpoint_mode.hpp"

#include <gtest/gtest.h>

namespace kmetrics::kubelet {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(EndpointMode, NodeFallsBackToSummaryAndIsRecheckedLater) {
  EndpointModeTracker t(std::chrono::seconds(600));
  EXPECT_EQ(t.choose("n1", 0), Endpoint::kResource);
  t.markSummaryOnly("n1", 10 * kSec);
  EXPECT_EQ(t.choose("n1", 20 * kSec), Endpoint::kSummary);
  EXPECT_EQ(t.choose("n2", 20 * kSec), Endpoint::kResource) << "other nodes are unaffected";
  EXPECT_EQ(t.choose("n1", 609 * kSec), Endpoint::kSummary);
  EXPECT_EQ(t.choose("n1", 610 * kSec), Endpoint::kResource) << "recheck after the interval";
  EXPECT_EQ(t.summaryOnlyCount(), 0u);
}

TEST(EndpointMode, ResourceSuccessAndForgetting) {
  EndpointModeTracker t(std::chrono::seconds(600));
  t.markSummaryOnly("a", 0);
  t.markSummaryOnly("b", 0);
  t.markResourceWorks("a");
  EXPECT_EQ(t.choose("a", kSec), Endpoint::kResource);
  EXPECT_EQ(t.summaryOnlyCount(), 1u);
  t.forgetOlderThan(2 * kSec);
  EXPECT_EQ(t.summaryOnlyCount(), 0u);
}

}  // namespace
}  // namespace kmetrics::kubelet
