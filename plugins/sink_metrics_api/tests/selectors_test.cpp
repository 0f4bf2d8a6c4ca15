#include "selectors.hpp"

#include <map>

#include <gtest/gtest.h>

namespace kmetrics::metrics_api {
namespace {

bool match(std::string_view selector, const std::map<std::string, std::string>& labels) {
  std::string err;
  auto s = LabelSelector::parse(selector, &err);
  EXPECT_TRUE(s.has_value()) << err;
  return s->matches([&](std::string_view k) -> std::optional<std::string_view> {
    auto it = labels.find(std::string(k));
    if (it == labels.end()) return std::nullopt;
    return std::string_view(it->second);
  });
}

TEST(LabelSelector, EqualityAndSetBasedForms) {
  const std::map<std::string, std::string> l = {{"app", "web"}, {"tier", "frontend"}, {"kubernetes.io/os", "linux"}};
  EXPECT_TRUE(match("", l));
  EXPECT_TRUE(match("app=web", l));
  EXPECT_TRUE(match("app==web", l));
  EXPECT_FALSE(match("app!=web", l));
  EXPECT_TRUE(match("app!=db", l));
  EXPECT_TRUE(match("missing!=x", l)) << "a missing label satisfies !=";
  EXPECT_TRUE(match("app in (web, db)", l));
  EXPECT_FALSE(match("app notin (web)", l));
  EXPECT_TRUE(match("tier notin (backend)", l));
  EXPECT_TRUE(match("app", l));
  EXPECT_FALSE(match("!app", l));
  EXPECT_TRUE(match("!missing", l));
  EXPECT_TRUE(match("app=web,tier=frontend", l));
  EXPECT_FALSE(match("app=web,tier=backend", l));
  EXPECT_TRUE(match("kubernetes.io/os=linux", l));
  EXPECT_TRUE(match("kubernetes.io/os in (linux,windows),app", l));
}

TEST(LabelSelector, SyntaxErrorsAreReported) {
  std::string err;
  EXPECT_FALSE(LabelSelector::parse("app in web", &err).has_value());
  EXPECT_FALSE(LabelSelector::parse("app=web,", &err).has_value());
  EXPECT_FALSE(LabelSelector::parse("app=-bad-", &err).has_value());
  EXPECT_NE(err.find("invalid label value"), std::string::npos) << err;
  EXPECT_FALSE(LabelSelector::parse("a b (x)", &err).has_value());
}

TEST(FieldSelector, OnlyNameAndNamespaceAreKnown) {
  std::string err;
  auto ok = FieldSelector::parse("metadata.name=pod-1", {"metadata.name", "metadata.namespace"}, &err);
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(ok->matches([](std::string_view f) { return f == "metadata.name" ? "pod-1" : "default"; }));
  EXPECT_FALSE(ok->matches([](std::string_view f) { return f == "metadata.name" ? "pod-2" : "default"; }));
  auto neg = FieldSelector::parse("metadata.namespace!=kube-system", {"metadata.name", "metadata.namespace"}, &err);
  ASSERT_TRUE(neg.has_value());
  EXPECT_FALSE(neg->matches([](std::string_view) { return std::string_view("kube-system"); }));

  EXPECT_FALSE(FieldSelector::parse("spec.nodeName=n1", {"metadata.name", "metadata.namespace"}, &err).has_value());
  EXPECT_EQ(err, R"("spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace")");
}

}  // namespace
}  // namespace kmetrics::metrics_api
