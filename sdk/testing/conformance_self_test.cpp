// The conformance suite must catch what it claims to catch: each check runs on a component with
// exactly that bug, and must fail with its message.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kmetrics/testing/conformance.hpp"

namespace kmetrics::testing {
namespace {

using Check = void (*)(const ConformanceTarget&);

// Runs one check and returns the messages of every failure it produced.
std::vector<std::string> failuresOf(Check check, const ConformanceTarget& target) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    check(target);
  }
  std::vector<std::string> out;
  for (int i = 0; i < results.size(); ++i) {
    out.emplace_back(results.GetTestPartResult(i).message());
  }
  return out;
}

::testing::AssertionResult failsWith(Check check, const ConformanceTarget& target,
                                     const std::string& needle) {
  const auto failures = failuresOf(check, target);
  for (const auto& f : failures) {
    if (f.find(needle) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  auto r = ::testing::AssertionFailure() << "no failure mentions \"" << needle << "\"; got "
                                         << failures.size() << ":";
  for (const auto& f : failures) {
    r << "\n  " << f;
  }
  return r;
}

struct NoConfig {};
void noFields(sdk::ConfigSpec<NoConfig>&) {}

// Bug: logs from its destructor, i.e. after shutdown returned.
class LogsInDestructor : public sdk::Source {
 public:
  using Config = NoConfig;
  static void describe(sdk::ConfigSpec<Config>& s) { noFields(s); }
  LogsInDestructor(const sdk::Context& ctx, Config) : host_(ctx.host) {}
  ~LogsInDestructor() override { host_.logger().info("goodbye"); }
  sdk::Status scrape(const sdk::ScrapeRequest&, const sdk::Emitter&) override { return {}; }

 private:
  sdk::Host host_;
};

// Bug: a background thread that outlives shutdown and calls the host once more.
class LateThread : public sdk::Source {
 public:
  using Config = NoConfig;
  static void describe(sdk::ConfigSpec<Config>& s) { noFields(s); }
  LateThread(const sdk::Context& ctx, Config) : host_(ctx.host) {}
  ~LateThread() override {
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  sdk::Status start() override {
    thread_ = std::thread([this] {
      while (!stop_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      host_.logger().info("flushing after shutdown");
    });
    return {};
  }
  void shutdown(int64_t) override { stop_ = true; }  // bug: does not wait for the thread
  sdk::Status scrape(const sdk::ScrapeRequest&, const sdk::Emitter&) override { return {}; }

 private:
  sdk::Host host_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Bug: state shared by all instances (a global), so one instance's lifetime changes another.
std::atomic<int> g_live{0};
class SharedGlobal : public sdk::Source {
 public:
  using Config = NoConfig;
  static void describe(sdk::ConfigSpec<Config>& s) { noFields(s); }
  SharedGlobal(const sdk::Context&, Config) { ++g_live; }
  ~SharedGlobal() override { --g_live; }
  sdk::Status scrape(const sdk::ScrapeRequest&, const sdk::Emitter&) override {
    return g_live == 1 ? sdk::Status::ok() : sdk::Status::unavailable("port already in use");
  }
};

// Bug: start fails, so no lifecycle test can get going.
class StartFails : public sdk::Source {
 public:
  using Config = NoConfig;
  static void describe(sdk::ConfigSpec<Config>& s) { noFields(s); }
  StartFails(const sdk::Context&, Config) {}
  sdk::Status start() override { return sdk::Status::unavailable("cannot bind"); }
  sdk::Status scrape(const sdk::ScrapeRequest&, const sdk::Emitter&) override { return {}; }
};

// A raw component (no SDK) that accepts any config and publishes a lax schema.
int g_instance;
kmetrics_status laxCreate(const kmetrics_host_api*, void*, kmetrics_str, kmetrics_str,
                          const kmetrics_diag*, void** out) {
  *out = &g_instance;
  return KMETRICS_OK;
}
kmetrics_status laxStart(void*, const kmetrics_diag*) { return KMETRICS_OK; }
void laxShutdown(void*, int64_t) {}
void laxDestroy(void*) {}
kmetrics_status laxConsume(void*, const kmetrics_batch*, const kmetrics_diag*) { return KMETRICS_OK; }

// Zero-initialized, then filled: fields a later ABI minor appends stay zero.
const kmetrics_component* laxComponent() {
  static const kmetrics_component c = [] {
    kmetrics_component x{};
    x.struct_size = sizeof(kmetrics_component);
    x.kind = KMETRICS_KIND_SINK;
    x.type = "Lax-Sink";
    x.version = "v1";
    x.stability = "experimental";
    x.description = "";
    x.config_schema_json = R"({"type":"object"})";
    x.example_config_json = R"({"port": 1})";
    x.scope_or_mode = KMETRICS_SINK_PUSH;
    x.create = laxCreate;
    x.start = laxStart;
    x.shutdown = laxShutdown;
    x.destroy = laxDestroy;
    x.consume = laxConsume;
    return x;
  }();
  return &c;
}

ConformanceTarget lax() {
  ConformanceTarget t;
  t.component = laxComponent();
  return t;
}

TEST(ConformanceSelfTest, CatchesHostCallFromDestructor) {
  const auto t = linkedTarget<LogsInDestructor>("logs_in_destructor");
  EXPECT_TRUE(failsWith(conformance::noCallAfterShutdown, t, "host call(s) after shutdown, first: log"));
  EXPECT_TRUE(failsWith(conformance::shutdownWithoutStart, t, "host called after shutdown: log"));
}

TEST(ConformanceSelfTest, CatchesBackgroundThreadOutlivingShutdown) {
  EXPECT_TRUE(failsWith(conformance::noCallAfterShutdown, linkedTarget<LateThread>("late_thread"),
                        "after shutdown"));
}

TEST(ConformanceSelfTest, CatchesSharedGlobalState) {
  EXPECT_TRUE(failsWith(conformance::twoInstances, linkedTarget<SharedGlobal>("shared_global"),
                        "shared global state?"));
}

TEST(ConformanceSelfTest, CatchesFailingStart) {
  EXPECT_TRUE(failsWith(conformance::idempotentShutdown, linkedTarget<StartFails>("start_fails"),
                        "start failed: cannot bind"));
}

TEST(ConformanceSelfTest, CatchesLaxComponent) {
  const auto t = lax();
  EXPECT_TRUE(failsWith([](const ConformanceTarget& x) { conformance::typeName(x, "Lax-Sink"); }, t,
                        "must match ^[a-z][a-z0-9_]{0,62}$"));
  EXPECT_TRUE(failsWith(conformance::describes, t, "is not semver"));
  EXPECT_TRUE(failsWith(conformance::describes, t, "is not alpha|beta|stable|deprecated"));
  EXPECT_TRUE(failsWith(conformance::describes, t, "description is empty"));
  EXPECT_TRUE(failsWith(conformance::schema, t, "additionalProperties: false"));
  EXPECT_TRUE(failsWith(conformance::unknownKeys, t, "must be refused with INVALID_ARGUMENT"));
  EXPECT_TRUE(failsWith(conformance::unknownKeys, t, "every unknown key must be reported"));
}

TEST(ConformanceSelfTest, ReportsAMissingTarget) {
  ConformanceTarget t;
  t.error = "libkmetrics_x.so: cannot load library: file not found";
  EXPECT_TRUE(failsWith(conformance::schema, t, "no component to test: libkmetrics_x.so"));
}

}  // namespace
}  // namespace kmetrics::testing
