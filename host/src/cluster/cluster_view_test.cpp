// ClusterView against a fake API server over real HTTPS on 127.0.0.1: convergence, pagination,
// phase changes, 410 Gone relists, reconnects after dropped streams, backoff on errors, prompt stop.
#include "cluster/cluster_view.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "cluster/fake_apiserver.hpp"
#include "http/testing/test_pki.hpp"

namespace kmetrics::cluster {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json node(const std::string& name, json labels = json::object()) {
  return json{{"metadata", {{"name", name}, {"labels", labels}}},
              {"status",
               {{"addresses", json::array({{{"type", "InternalIP"}, {"address", "10.0.0." + name.substr(4)}}})},
                {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
                {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

json pod(const std::string& ns, const std::string& name, const std::string& phase = "Running",
         const std::string& app = "web") {
  return json{{"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"app", app}}},
                            {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
              {"spec", {{"nodeName", "node1"},
                        {"containers", json::array({{{"name", "c"}, {"resources", {{"requests", {{"cpu", "100m"}}}}}}})}}},
              {"status", {{"phase", phase}}}};
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

class ClusterViewTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(http::testing::make_temp_dir("kmetrics-cluster-view-"));
    pki_ = new http::testing::TestPki(*dir_);
    cert_ = new http::testing::CertFiles(pki_->issue("apiserver", "IP:127.0.0.1,DNS:localhost"));
  }
  static void TearDownTestSuite() { http::testing::remove_tree(*dir_); }

  void SetUp() override {
    server_ = std::make_unique<testing::FakeApiServer>(cert_->cert_path, cert_->key_path);
    server_->upsert_node(node("node1"));
    server_->upsert_node(node("node2", {{"metrics-server-skip", "true"}}));
    server_->upsert_node(node("node3"));
    for (int i = 0; i < 5; ++i) server_->upsert_pod(pod("default", "web-" + std::to_string(i)));
    server_->upsert_pod(pod("default", "pending", "Pending"));
    server_->upsert_pod(pod("kube-system", "dns"));
  }

  std::unique_ptr<ClusterView> make_view(const std::function<void(ClusterViewOptions&)>& tweak = {}) {
    RestConfig rc;
    rc.server = server_->url();
    rc.tls.ca_pem = pki_->ca().cert_pem;
    rc.tls.origin = "test";
    rc.token = http::TokenSource::fixed("sa-token");
    ClusterViewOptions o;
    o.node_selector = LabelSelector::parse("metrics-server-skip!=true");
    o.publish_interval = 20ms;
    o.reflector.list_page_size = 2;  // forces continue tokens
    o.reflector.watch_timeout = 30s;
    o.reflector.backoff_initial = 20ms;
    o.reflector.backoff_max = 200ms;
    if (tweak) tweak(o);
    return std::make_unique<ClusterView>(std::make_shared<ApiClient>(rc), o);
  }

  // Synced means both lists are done; the watches open right after. Injected stream faults need them.
  void wait_for_watches() {
    ASSERT_TRUE(eventually([&] { return server_->watches("pods") >= 1 && server_->watches("nodes") >= 1; }));
  }

  static std::string* dir_;
  static http::testing::TestPki* pki_;
  static http::testing::CertFiles* cert_;
  std::unique_ptr<testing::FakeApiServer> server_;
};
std::string* ClusterViewTest::dir_;
http::testing::TestPki* ClusterViewTest::pki_;
http::testing::CertFiles* ClusterViewTest::cert_;

TEST_F(ClusterViewTest, SyncsThenFollowsEvents) {
  auto view = make_view();
  EXPECT_FALSE(view->synced());
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s)) << view->last_error();
  auto s = view->snapshot();
  EXPECT_EQ(s->node_count(), 2u);  // node2 filtered by the node selector
  EXPECT_EQ(s->find_node("node2"), nullptr);
  ASSERT_NE(s->find_node("node1"), nullptr);
  EXPECT_EQ(s->find_node("node1")->kubelet_port, 10250);
  EXPECT_TRUE(s->find_node("node1")->ready);
  EXPECT_EQ(s->find_node("node3")->addresses.at(0).address, "10.0.0.3");
  EXPECT_EQ(s->pod_count(), 6u);  // the Pending pod is not listed
  EXPECT_EQ(s->find_pod("default", "pending"), nullptr);
  ASSERT_NE(s->find_pod("kube-system", "dns"), nullptr);
  EXPECT_EQ(s->find_pod("kube-system", "dns")->containers().at(0).cpu_request_millicores, 100);
  EXPECT_EQ(server_->lists("pods"), 3);  // 6 running pods in pages of 2
  EXPECT_EQ(server_->last_authorization(), "Bearer sa-token");

  server_->upsert_pod(pod("default", "new"));
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "new") != nullptr; }));
  server_->upsert_pod(pod("default", "pending"));  // Pending -> Running
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "pending") != nullptr; }));
  server_->upsert_pod(pod("default", "web-0", "Running", "api"));  // label change
  EXPECT_TRUE(eventually([&] {
    auto p = view->snapshot()->find_pod("default", "web-0");
    return p != nullptr && *find_label(p->labels(), "app") == "api";
  }));
  server_->upsert_pod(pod("default", "web-1", "Succeeded"));  // leaves Running: DELETED on the watch
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "web-1") == nullptr; }));
  server_->delete_pod("default", "web-2");
  server_->bookmark();
  server_->delete_node("node3");
  server_->upsert_node(node("node4"));
  EXPECT_TRUE(eventually([&] {
    auto snap = view->snapshot();
    return snap->find_pod("default", "web-2") == nullptr && snap->find_node("node3") == nullptr &&
           snap->find_node("node4") != nullptr;
  }));
  EXPECT_EQ(view->snapshot()->pod_count(), 6u);  // 6 + new + pending - web-1 - web-2
  EXPECT_GE(view->stats().events, 6u);
  EXPECT_EQ(view->stats().errors, 0u);
  EXPECT_EQ(view->stats().bad_objects, 0u);
  view->stop();
}

TEST_F(ClusterViewTest, SkipsMalformedObjectsAndKeepsTheRestOfThePage) {
  json bad_pod = pod("default", "bad-labels");  // shares its page (of 2) with web-0
  bad_pod["metadata"]["labels"]["app"] = 5;
  server_->upsert_pod(bad_pod);
  json bad_node = node("node9");
  bad_node["status"]["addresses"][0]["address"] = 9;
  server_->upsert_node(bad_node);
  auto view = make_view();
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s)) << view->last_error();
  auto s = view->snapshot();
  EXPECT_EQ(s->pod_count(), 6u);
  EXPECT_EQ(s->find_pod("default", "bad-labels"), nullptr);
  EXPECT_NE(s->find_pod("default", "web-0"), nullptr);
  EXPECT_EQ(s->node_count(), 2u);
  EXPECT_EQ(s->find_node("node9"), nullptr);
  EXPECT_EQ(view->stats().bad_objects, 2u);

  // On the watch too: the malformed event is counted, the previous version stays, later events apply.
  json bad_event = pod("default", "web-0", "Running", "api");
  bad_event["spec"]["containers"][0]["name"] = json::array();
  server_->upsert_pod(bad_event);
  server_->upsert_pod(pod("default", "after-bad"));
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "after-bad") != nullptr; }));
  EXPECT_EQ(view->stats().bad_objects, 3u);
  auto web0 = view->snapshot()->find_pod("default", "web-0");
  ASSERT_NE(web0, nullptr);
  EXPECT_EQ(*find_label(web0->labels(), "app"), "web");
  EXPECT_EQ(view->stats().errors, 0u);
}

TEST_F(ClusterViewTest, DropsTheBuffersOfLargePagesBetweenPages) {
  // Every page counts as large: the parser and body buffer are released after each one.
  auto view = make_view([](ClusterViewOptions& o) { o.reflector.large_page_bytes = 1; });
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s)) << view->last_error();
  EXPECT_EQ(view->snapshot()->pod_count(), 6u);
  EXPECT_EQ(view->snapshot()->node_count(), 2u);
  server_->upsert_pod(pod("default", "later"));
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "later") != nullptr; }));
  EXPECT_EQ(view->stats().bad_objects, 0u);
}

TEST_F(ClusterViewTest, ReadersNeverBlockAndSeeConsistentSnapshots) {
  auto view = make_view();
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s));
  std::atomic<bool> done{false};
  std::atomic<uint64_t> reads{0};
  std::atomic<int> inconsistent{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto snap = view->snapshot();
        size_t counted = 0;
        snap->for_each_pod("", [&](const PodInfo& p) {
          ++counted;
          if (snap->find_pod(p.namespace_name(), p.name()) != &p) inconsistent.fetch_add(1);
          return true;
        });
        if (counted != snap->pod_count()) inconsistent.fetch_add(1);
        reads.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    server_->upsert_pod(pod("churn", "p" + std::to_string(i % 40)));
    if (i % 3 == 0) server_->delete_pod("churn", "p" + std::to_string((i + 7) % 40));
  }
  server_->upsert_pod(pod("churn", "last"));
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("churn", "last") != nullptr; }));
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GT(reads.load(), 10u);
  EXPECT_LT(view->stats().publications, 200u);  // events were batched into fewer publications
}

TEST_F(ClusterViewTest, RelistsAfterGone) {
  auto view = make_view();
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s));
  wait_for_watches();
  int pod_lists = server_->lists("pods");
  int node_lists = server_->lists("nodes");
  server_->gone();  // ERROR 410 on both watches; old resourceVersions refused from now on
  EXPECT_TRUE(eventually([&] { return server_->lists("pods") > pod_lists && server_->lists("nodes") > node_lists; }));
  EXPECT_TRUE(eventually([&] { return view->stats().relists >= 2; }))
      << "relists " << view->stats().relists << " restarts " << view->stats().watch_restarts << " errors "
      << view->stats().errors << " last error " << view->last_error() << " watches " << server_->watches("pods");
  server_->upsert_pod(pod("default", "after-gone"));
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "after-gone") != nullptr; }));
  EXPECT_EQ(view->snapshot()->pod_count(), 7u);
  EXPECT_EQ(view->stats().node_lists, 2u);
  EXPECT_EQ(view->stats().pod_lists, 2u);
}

TEST_F(ClusterViewTest, ReconnectsAfterDroppedStreamWithoutRelisting) {
  auto view = make_view();
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s));
  wait_for_watches();
  int watches = server_->watches("pods");
  int lists = server_->lists("pods");
  server_->drop_watches();
  EXPECT_TRUE(eventually([&] { return server_->watches("pods") > watches; }));
  server_->upsert_pod(pod("default", "after-drop"));
  EXPECT_TRUE(eventually([&] { return view->snapshot()->find_pod("default", "after-drop") != nullptr; }));
  EXPECT_EQ(server_->lists("pods"), lists);  // resumed from the last resourceVersion
  EXPECT_GE(view->stats().watch_restarts, 1u);
}

TEST_F(ClusterViewTest, BacksOffOnErrorsThenSyncs) {
  server_->fail_next(4);
  auto view = make_view();
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s)) << view->last_error();
  EXPECT_EQ(view->stats().errors, 4u);
  EXPECT_EQ(view->snapshot()->pod_count(), 6u);
}

TEST_F(ClusterViewTest, NotSyncedWhileServerDownAndStopIsPrompt) {
  RestConfig rc;
  rc.server = "https://127.0.0.1:1";  // nothing listens there
  rc.tls.ca_pem = pki_->ca().cert_pem;
  ClusterViewOptions o;
  o.reflector.backoff_initial = 20ms;
  o.reflector.backoff_max = 100ms;
  ClusterView down(std::make_shared<ApiClient>(rc), o);
  down.start();
  EXPECT_FALSE(down.wait_for_sync(300ms));
  EXPECT_GE(down.stats().errors, 1u);
  EXPECT_NE(down.last_error().find("connection refused"), std::string::npos) << down.last_error();

  auto view = make_view();
  view->start();
  ASSERT_TRUE(view->wait_for_sync(10s));
  std::this_thread::sleep_for(100ms);  // both watches are open and idle now
  auto t0 = std::chrono::steady_clock::now();
  view->stop();
  down.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  view->stop();  // idempotent
}

}  // namespace
}  // namespace kmetrics::cluster
