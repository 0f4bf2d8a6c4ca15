#include <gtest/gtest.h>

#include "apiserver/http_util.hpp"
#include "apiserver/selectors.hpp"

using namespace kmetrics::sim;

TEST(Selectors, LabelOperators) {
  std::map<std::string, std::string> l{{"app", "web"}, {"tier", "fe"}};
  auto m = [&](const std::string& s) {
    std::string err;
    auto sel = LabelSelector::parse(s, &err);
    EXPECT_TRUE(sel) << s << ": " << err;
    return sel && sel->matches(l);
  };
  EXPECT_TRUE(m(""));
  EXPECT_TRUE(m("app=web"));
  EXPECT_TRUE(m("app==web"));
  EXPECT_FALSE(m("app!=web"));
  EXPECT_TRUE(m("missing!=x"));
  EXPECT_TRUE(m("app in (web, db)"));
  EXPECT_FALSE(m("app notin (web,db)"));
  EXPECT_TRUE(m("missing notin (web)"));
  EXPECT_TRUE(m("tier"));
  EXPECT_FALSE(m("!tier"));
  EXPECT_TRUE(m("!missing"));
  EXPECT_TRUE(m("app=web,tier in (fe)"));
  EXPECT_FALSE(m("app=web,tier=be"));
  std::string err;
  EXPECT_FALSE(LabelSelector::parse("app in (web", &err));
  EXPECT_FALSE(LabelSelector::parse("app=we b", &err));
}

TEST(Selectors, FieldOperatorsAndUnsupportedField) {
  std::string err;
  auto sel = FieldSelector::parse("status.phase=Running,spec.nodeName!=n1", {"status.phase", "spec.nodeName"}, &err);
  ASSERT_TRUE(sel);
  auto lookup = [](std::string phase, std::string node) {
    return [=](const std::string& f) { return f == "status.phase" ? phase : node; };
  };
  EXPECT_TRUE(sel->matches(lookup("Running", "n2")));
  EXPECT_FALSE(sel->matches(lookup("Running", "n1")));
  EXPECT_FALSE(sel->matches(lookup("Pending", "n2")));
  EXPECT_FALSE(FieldSelector::parse("spec.other=x", {"status.phase"}, &err));
  EXPECT_EQ(err, "field label not supported: spec.other");
}

TEST(HttpUtil, GoQueryEncoding) {
  EXPECT_EQ(queryUnescape("a+b%3Dc%2Fd"), "a b=c/d");
  EXPECT_EQ(encodeQuerySorted("labelSelector=app%3Dx&fieldSelector=a%3Db+c"),
            "fieldSelector=a%3Db+c&labelSelector=app%3Dx");
  auto q = parseQuery("watch=1&watch=2&x");
  EXPECT_EQ(q["watch"], "1");
  EXPECT_EQ(q.count("x"), 1u);
  EXPECT_TRUE(acceptAs("application/json;as=Table;v=v1;g=meta.k8s.io", "Table"));
  EXPECT_FALSE(acceptAs("application/json;as=PartialObjectMetadataList;v=v1", "PartialObjectMetadata"));
  EXPECT_TRUE(acceptAs("application/json;g=meta.k8s.io;v=v1;as=PartialObjectMetadataList,application/json",
                       "PartialObjectMetadataList"));
}
