#include "serving/health.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <vector>

namespace kmetrics {
namespace {

// metrics-server's readyz/livez check names (reference/metrics-server.md §2.8).
std::unique_ptr<HealthChecks> metrics_server_like(std::atomic<bool>& storage_ready) {
  auto hp = std::make_unique<HealthChecks>();
  HealthChecks& h = *hp;
  auto ok = [] { return std::string(); };
  h.add(kLivez | kReadyz | kHealthz, "log", ok);
  h.add(kLivez | kReadyz | kHealthz, "poststarthook/max-in-flight-filter", ok);
  h.add(kLivez | kReadyz | kHealthz, "poststarthook/storage-object-count-tracker-hook", ok);
  h.add(kReadyz, "metric-storage-ready",
        [&storage_ready] { return storage_ready ? std::string() : std::string("no metrics to serve"); });
  h.add(kReadyz, "metric-informer-sync", ok);
  h.add(kLivez, "metric-collection-timely", ok);
  h.add(kLivez | kReadyz | kHealthz, "metadata-informer-sync", ok);
  h.add(kReadyz, "shutdown", ok);
  return hp;
}

// Keeps the checks alive for the test's duration.
std::vector<std::unique_ptr<HealthChecks>> g_keep;
HealthChecks* metrics_server_like_owned(std::atomic<bool>& ready) {
  g_keep.push_back(metrics_server_like(ready));
  return g_keep.back().get();
}

TEST(Health, ReadyzVerboseMatchesMetricsServer) {
  std::atomic<bool> ready{true};
  HealthChecks& h = *metrics_server_like_owned(ready);
  auto a = h.handle("/readyz", "verbose");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body,
            "[+]ping ok\n[+]log ok\n[+]poststarthook/max-in-flight-filter ok\n"
            "[+]poststarthook/storage-object-count-tracker-hook ok\n[+]metric-storage-ready ok\n"
            "[+]metric-informer-sync ok\n[+]metadata-informer-sync ok\n[+]shutdown ok\nreadyz check passed\n");
}

TEST(Health, LivezVerboseAndPlain) {
  std::atomic<bool> ready{false};
  HealthChecks& h = *metrics_server_like_owned(ready);
  auto a = h.handle("/livez", "verbose=1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->body,
            "[+]ping ok\n[+]log ok\n[+]poststarthook/max-in-flight-filter ok\n"
            "[+]poststarthook/storage-object-count-tracker-hook ok\n[+]metric-collection-timely ok\n"
            "[+]metadata-informer-sync ok\nlivez check passed\n");
  auto plain = h.handle("/healthz", "");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body, "ok");
}

TEST(Health, FailureIsAlwaysVerboseWithReasonWithheld) {
  std::atomic<bool> ready{false};
  HealthChecks& h = *metrics_server_like_owned(ready);
  auto a = h.handle("/readyz", "");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 500);
  EXPECT_NE(a->body.find("[-]metric-storage-ready failed: reason withheld\n"), std::string::npos);
  EXPECT_TRUE(a->body.ends_with("[+]shutdown ok\nreadyz check failed\n")) << a->body;
  EXPECT_EQ(a->body.find("no metrics to serve"), std::string::npos);
}

TEST(Health, SingleCheckPathShowsTheReason) {
  std::atomic<bool> ready{false};
  HealthChecks& h = *metrics_server_like_owned(ready);
  auto bad = h.handle("/readyz/metric-storage-ready", "");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 500);
  EXPECT_EQ(bad->body, "internal server error: no metrics to serve\n");
  ready = true;
  auto good = h.handle("/readyz/metric-storage-ready", "");
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(good->body, "ok");
  EXPECT_FALSE(h.handle("/readyz/nope", ""));
  EXPECT_FALSE(h.handle("/readyzz", ""));
  EXPECT_FALSE(h.handle("/other", ""));
}

TEST(Health, ExcludeAndDuplicates) {
  std::atomic<bool> ready{false};
  HealthChecks& h = *metrics_server_like_owned(ready);
  auto a = h.handle("/readyz", "exclude=metric-storage-ready&exclude=bogus&verbose");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_NE(a->body.find("[+]metric-storage-ready excluded: ok\n"), std::string::npos);
  EXPECT_NE(a->body.find("warn: some health checks cannot be excluded: no matches for \"bogus\"\n"), std::string::npos);
  EXPECT_FALSE(h.add(kReadyz, "ping", [] { return std::string(); }));
  EXPECT_FALSE(h.add(kReadyz, "", [] { return std::string(); }));
}

TEST(Health, ThrowingCheckFails) {
  HealthChecks h;
  h.add(kLivez, "boom", []() -> std::string { throw std::runtime_error("kaput"); });
  EXPECT_EQ(h.handle("/livez", "")->status, 500);
  EXPECT_EQ(h.handle("/livez/boom", "")->body, "internal server error: kaput\n");
}

}  // namespace
}  // namespace kmetrics
