// PodInfo's one-block layout: every field reads back as made, for any mix of sizes; PodPtr ownership.
#include "cluster/pod_info.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace kmetrics::cluster {
namespace {

TEST(PodInfoTest, ReadsBackEveryField) {
  const std::string long_name(300, 'x');  // past any small-string size
  PodFields f;
  f.namespace_name = "team-a";
  f.name = long_name;
  f.node_name = "node-1234";
  f.labels = {{"app", "web"}, {"empty", ""}, {"tier", "frontend"}};
  f.creation_unix_ns = -5;
  f.containers = {{"main", 100, 1000, 64 << 20, 1LL << 40}, {"", 1, 2, 3, 4}};
  PodPtr p = PodInfo::make(f);
  EXPECT_EQ(p->namespace_name(), "team-a");
  EXPECT_EQ(p->name(), long_name);
  EXPECT_EQ(p->node_name(), "node-1234");
  EXPECT_EQ(p->creation_unix_ns(), -5);
  std::vector<LabelView> labels(p->labels().begin(), p->labels().end());
  EXPECT_EQ(labels, f.labels);
  ASSERT_EQ(p->containers().size(), 2u);
  const ContainerInfo c0 = p->containers()[0];
  EXPECT_EQ(c0.name, "main");
  EXPECT_EQ(c0.cpu_request_millicores, 100);
  EXPECT_EQ(c0.cpu_limit_millicores, 1000);
  EXPECT_EQ(c0.memory_request_bytes, 64 << 20);
  EXPECT_EQ(c0.memory_limit_bytes, 1LL << 40);
  const ContainerInfo c1 = p->containers().at(1);
  EXPECT_EQ(c1.name, "");
  EXPECT_EQ(c1.memory_limit_bytes, 4);
  EXPECT_THROW(p->containers().at(2), std::out_of_range);
  int seen = 0;
  for (const ContainerInfo& c : p->containers()) seen += static_cast<int>(c.cpu_limit_millicores);
  EXPECT_EQ(seen, 1002);
}

TEST(PodInfoTest, EmptyPod) {
  PodPtr p = PodInfo::make(PodFields{});
  EXPECT_EQ(p->namespace_name(), "");
  EXPECT_EQ(p->name(), "");
  EXPECT_EQ(p->node_name(), "");
  EXPECT_TRUE(p->labels().empty());
  EXPECT_TRUE(p->containers().empty());
  EXPECT_EQ(p->labels().begin(), p->labels().end());
}

TEST(PodInfoTest, FindLabel) {
  PodFields f;
  std::vector<std::string> keys, values;
  for (int i = 0; i < 40; ++i) keys.push_back("k" + std::to_string(100 + i));
  for (const auto& k : keys) values.push_back(k + "-value");
  for (size_t i = 0; i < keys.size(); ++i) f.labels.emplace_back(keys[i], values[i]);
  PodPtr p = PodInfo::make(f);
  for (const auto& k : keys) {
    ASSERT_TRUE(find_label(p->labels(), k)) << k;
    EXPECT_EQ(*find_label(p->labels(), k), k + "-value");
  }
  EXPECT_FALSE(find_label(p->labels(), "k099"));
  EXPECT_FALSE(find_label(p->labels(), "k1400"));
  EXPECT_FALSE(find_label(p->labels(), ""));
}

TEST(PodInfoTest, LabelsMustBeSortedAndUnique) {
  PodFields f;
  f.labels = {{"b", "1"}, {"a", "2"}};
  EXPECT_THROW(PodInfo::make(f), std::invalid_argument);
  f.labels = {{"a", "1"}, {"a", "2"}};
  EXPECT_THROW(PodInfo::make(f), std::invalid_argument);
}

TEST(PodPtrTest, SharesOwnership) {
  PodFields f;
  f.name = "p";
  PodPtr a = PodInfo::make(f);
  const PodInfo* raw = a.get();
  PodPtr b = a;  // copy
  EXPECT_EQ(a, b);
  a = nullptr;   // b keeps it alive (ASan would flag a use after free)
  EXPECT_FALSE(a);
  EXPECT_EQ(b->name(), "p");
  PodPtr c = std::move(b);
  EXPECT_TRUE(b == nullptr);
  EXPECT_EQ(c.get(), raw);
  const PodPtr& alias = c;
  c = alias;  // self-assignment keeps the pod
  EXPECT_EQ(c->name(), "p");
  std::vector<PodPtr> many(1000, c);
  many.clear();
  EXPECT_EQ(c->name(), "p");
}

}  // namespace
}  // namespace kmetrics::cluster
