// Requests that are not kubectl: the HPA's list call (protobuf-first Accept, label selector) and
// kmetrics' own health endpoints (no credentials: always-allow paths).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

#include "sim_fixture.hpp"
#include "truth.hpp"

namespace kmetrics::e2e {
namespace {

std::vector<std::string> lines(const std::string& body) {
  std::vector<std::string> out;
  std::istringstream in(body);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

TEST(Hpa, ProtobufFirstAcceptWithLabelSelectorGetsJsonOfExactlyTheSelectedPods) {
  const Truth truth = cluster().truth();
  // Through the aggregator as admin, exactly what the HPA controller sends (wire-formats.md §5).
  auto r = cluster().apiserver("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dapp-0",
                               {{"Accept", "application/vnd.kubernetes.protobuf, */*"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.content_type.find("application/json"), std::string::npos) << r.content_type;
  auto list = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(list->optValue<std::string>("kind", ""), "PodMetricsList");
  auto items = list->getArray("items");
  ASSERT_TRUE(items);
  std::set<std::string> got, want;
  for (size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    auto md = item->getObject("metadata");
    const auto ns = md->getValue<std::string>("namespace");
    const auto name = md->getValue<std::string>("name");
    got.insert(ns + "/" + name);
    const TruthPod* p = truth.pod(ns, name);
    ASSERT_NE(p, nullptr) << name;
    // The HPA treats a pod with missing containers or resources as missing: all must be there.
    auto cs = item->getArray("containers");
    ASSERT_TRUE(cs);
    EXPECT_EQ(cs->size(), p->containers.size()) << name;
    for (size_t j = 0; j < cs->size(); ++j) {
      auto usage = cs->getObject(static_cast<unsigned>(j))->getObject("usage");
      ASSERT_TRUE(usage && usage->has("cpu") && usage->has("memory")) << name;
    }
    EXPECT_TRUE(item->has("timestamp") && item->has("window")) << name;
  }
  for (const auto& p : truth.pods) {
    if (p.running() && p.ns == "default" && p.labels.count("app") && p.labels.at("app") == "app-0")
      want.insert(p.ns + "/" + p.name);
  }
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(got, want);
}

// A user that is not system:masters: kmetrics authorizes it with a SubjectAccessReview.
TEST(Hpa, SameRequestAsViewerAndNobody) {
  const std::string path = "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods?labelSelector=app%3Dapp-2";
  const std::map<std::string, std::string> accept{{"Accept", "application/vnd.kubernetes.protobuf, */*"}};
  auto viewer = cluster().apiserverAs("viewer", "GET", path, accept);
  ASSERT_EQ(viewer.status, 200) << viewer.body;
  auto items = Poco::JSON::Parser().parse(viewer.body).extract<Poco::JSON::Object::Ptr>()->getArray("items");
  ASSERT_TRUE(items);
  size_t want = 0;
  for (const auto& p : cluster().truth().pods) {
    want += p.running() && p.ns == "team-a" && p.labels.count("app") && p.labels.at("app") == "app-2" ? 1 : 0;
  }
  EXPECT_GT(want, 0u);
  EXPECT_EQ(items->size(), want) << viewer.body;

  auto nobody = cluster().apiserverAs("nobody", "GET", path, accept);
  EXPECT_EQ(nobody.status, 403) << nobody.body;
  // The apiserver refuses it before proxying (a Status; its message is what kubectl prints).
  const auto message =
      Poco::JSON::Parser().parse(nobody.body).extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("message", "");
  EXPECT_NE(message.find("pods.metrics.k8s.io is forbidden: User \"nobody\" cannot list resource \"pods\" in "
                             "API group \"metrics.k8s.io\" in the namespace \"team-a\""),
            std::string::npos)
      << nobody.body;
}

TEST(Health, ReadyzVerboseHasMetricsServerChecks) {
  auto r = cluster().kmetrics("/readyz?verbose");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(lines(r.body), (std::vector<std::string>{
                               "[+]ping ok", "[+]log ok", "[+]poststarthook/max-in-flight-filter ok",
                               "[+]poststarthook/storage-object-count-tracker-hook ok", "[+]metric-storage-ready ok",
                               "[+]metric-informer-sync ok", "[+]metadata-informer-sync ok", "[+]shutdown ok",
                               "readyz check passed"}));
}

TEST(Health, LivezVerboseHasMetricsServerChecks) {
  auto r = cluster().kmetrics("/livez?verbose");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(lines(r.body), (std::vector<std::string>{
                               "[+]ping ok", "[+]log ok", "[+]poststarthook/max-in-flight-filter ok",
                               "[+]poststarthook/storage-object-count-tracker-hook ok",
                               "[+]metric-collection-timely ok", "[+]metadata-informer-sync ok",
                               "livez check passed"}));
}

TEST(Health, PlainHealthPathsWithoutCredentials) {
  for (const char* path : {"/livez", "/readyz", "/healthz"}) {
    auto r = cluster().kmetrics(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.body, "ok") << path;
  }
}

}  // namespace
}  // namespace kmetrics::e2e
