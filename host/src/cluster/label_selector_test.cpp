#include "cluster/label_selector.hpp"

#include <gtest/gtest.h>

namespace kmetrics::cluster {
namespace {

Labels L(std::initializer_list<std::pair<std::string, std::string>> kv) {
  Labels l(kv);
  std::sort(l.begin(), l.end());
  return l;
}

TEST(LabelSelectorTest, EmptySelectsEverything) {
  auto s = LabelSelector::parse("  ");
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(s.matches({}));
}

TEST(LabelSelectorTest, EqualityOperators) {
  auto s = LabelSelector::parse("kubernetes.io/os=linux, tier==web,skip!=true");
  ASSERT_EQ(s.requirements().size(), 3u);
  EXPECT_TRUE(s.matches(L({{"kubernetes.io/os", "linux"}, {"tier", "web"}})));
  EXPECT_TRUE(s.matches(L({{"kubernetes.io/os", "linux"}, {"tier", "web"}, {"skip", "false"}})));
  EXPECT_FALSE(s.matches(L({{"kubernetes.io/os", "linux"}, {"tier", "web"}, {"skip", "true"}})));
  EXPECT_FALSE(s.matches(L({{"tier", "web"}})));
  EXPECT_EQ(s.to_string(), "kubernetes.io/os=linux,tier=web,skip!=true");
}

TEST(LabelSelectorTest, MetricsServerSkipExample) {
  // metrics-server's e2e: --node-selector=metrics-server-skip!=true hides the labelled node.
  auto s = LabelSelector::parse("metrics-server-skip!=true");
  EXPECT_TRUE(s.matches({}));
  EXPECT_FALSE(s.matches(L({{"metrics-server-skip", "true"}})));
}

TEST(LabelSelectorTest, ExistenceAndEmptyValue) {
  auto s = LabelSelector::parse("gpu,!spot,zone=");
  EXPECT_TRUE(s.matches(L({{"gpu", "1"}, {"zone", ""}})));
  EXPECT_FALSE(s.matches(L({{"gpu", "1"}, {"zone", ""}, {"spot", "x"}})));
  EXPECT_FALSE(s.matches(L({{"zone", ""}})));
}

TEST(LabelSelectorTest, Errors) {
  for (const char* bad : {"a=b=c", "=b", "a,,b", "a=b,", "-a=b", "a=b c", "a!b", "a in (x)"}) {
    EXPECT_THROW(LabelSelector::parse(bad), std::invalid_argument) << bad;
  }
  try {
    LabelSelector::parse("a=b=c");
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "invalid label selector \"a=b=c\": unexpected operator in value");
  }
}

}  // namespace
}  // namespace kmetrics::cluster
