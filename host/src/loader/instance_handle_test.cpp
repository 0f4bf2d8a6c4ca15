// Lifecycle guarantees of SourceHandle/SinkHandle, on components linked into the test (no dlopen).
#include "loader/instance_handle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kmetrics/sdk.hpp"
#include "kmetrics/testing/fake_host.hpp"
#include "loader/component_factory.hpp"
#include "loader/plugin_library.hpp"

namespace kmetrics {
namespace {

// A raw C-ABI component that records the order of hook calls.
struct Journal {
  std::vector<std::string> calls;
  bool scrape_throws = false;
  bool start_fails = false;
  bool create_fails = false;
};
Journal* journal = nullptr;  // the test sets it; hooks append to it

kmetrics_status rawCreate(const kmetrics_host_api*, void*, kmetrics_str, kmetrics_str config,
                          const kmetrics_diag* diag, void** out) {
  journal->calls.push_back("create");
  if (journal->create_fails) {
    diag->report(diag->user, {"port", 4}, {"must be positive", 16});
    diag->report(diag->user, {"mode", 4}, {"invalid value", 13});
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  *out = journal;
  (void)config;
  return KMETRICS_OK;
}
kmetrics_status rawStart(void*, const kmetrics_diag*) {
  journal->calls.push_back("start");
  return journal->start_fails ? KMETRICS_ERR_UNAVAILABLE : KMETRICS_OK;
}
void rawShutdown(void*, int64_t) { journal->calls.push_back("shutdown"); }
void rawDestroy(void*) { journal->calls.push_back("destroy"); }
kmetrics_status rawScrape(void*, const kmetrics_scrape_request*, const kmetrics_emitter*,
                          const kmetrics_diag*) {
  journal->calls.push_back("scrape");
  if (journal->scrape_throws) {
    throw std::runtime_error("kubelet payload exploded");  // a plugin written without the SDK
  }
  return KMETRICS_OK;
}

kmetrics_component rawSource() {
  kmetrics_component c{};
  c.struct_size = sizeof(c);
  c.kind = KMETRICS_KIND_SOURCE;
  c.type = "raw_source";
  c.create = rawCreate;
  c.start = rawStart;
  c.shutdown = rawShutdown;
  c.destroy = rawDestroy;
  c.scrape = rawScrape;
  return c;
}

class HandleTest : public ::testing::Test {
 protected:
  void SetUp() override { journal = &j_; }
  void TearDown() override { journal = nullptr; }

  Created<SourceHandle> create() {
    return factory_.createSource({"primary", "{}", host_.api(), host_.ctx()});
  }

  Journal j_;
  kmetrics_component component_ = rawSource();
  ComponentFactory factory_{PluginLibrary::linked("raw"), &component_};
  testing::FakeHost host_;
  kmetrics_scrape_request req_{sizeof(kmetrics_scrape_request), nullptr, 0, 0, KMETRICS_WANT_CORE};
  kmetrics_emitter out_{sizeof(kmetrics_emitter), nullptr, nullptr, nullptr, nullptr, nullptr};
};

TEST_F(HandleTest, DestroyWithoutStartRunsShutdownFirst) {
  {
    auto c = create();
    ASSERT_TRUE(c.result.ok()) << c.result.summary();
    EXPECT_EQ(c.handle->id(), "raw_source/primary");
  }
  EXPECT_EQ(j_.calls, (std::vector<std::string>{"create", "shutdown", "destroy"}));
}

TEST_F(HandleTest, ShutdownIsIdempotentAndDestroyRunsOnce) {
  {
    auto c = create();
    ASSERT_TRUE(c.handle->start().ok());
    EXPECT_TRUE(c.handle->scrape(req_, out_).ok());
    c.handle->shutdown(0);
    c.handle->shutdown(0);
    EXPECT_TRUE(c.handle->isShutDown());
  }
  EXPECT_EQ(j_.calls,
            (std::vector<std::string>{"create", "start", "scrape", "shutdown", "destroy"}));
}

TEST_F(HandleTest, NoCallReachesThePluginAfterShutdown) {
  auto c = create();
  ASSERT_TRUE(c.handle->start().ok());
  c.handle->shutdown(0);
  const CallResult r = c.handle->scrape(req_, out_);
  EXPECT_EQ(r.status, KMETRICS_ERR_UNAVAILABLE);
  EXPECT_EQ(r.summary(), "UNAVAILABLE: raw_source/primary: scrape refused: instance is shut down");
  EXPECT_EQ(c.handle->start().status, KMETRICS_ERR_UNAVAILABLE);
  EXPECT_EQ(j_.calls, (std::vector<std::string>{"create", "start", "shutdown"}));
  EXPECT_EQ(c.handle->errorCount(), 0u);  // host-side refusals are not plugin errors
}

TEST_F(HandleTest, ScrapeBeforeStartIsRefused) {
  auto c = create();
  EXPECT_EQ(c.handle->scrape(req_, out_).summary(),
            "UNAVAILABLE: raw_source/primary: scrape refused: instance is not started");
}

TEST_F(HandleTest, FailedStartStillShutsDownAndDestroys) {
  j_.start_fails = true;
  {
    auto c = create();
    const CallResult r = c.handle->start();
    EXPECT_EQ(r.summary(), "UNAVAILABLE: start failed with UNAVAILABLE and no message");
    EXPECT_EQ(c.handle->errorCount(), 1u);
    EXPECT_EQ(c.handle->scrape(req_, out_).status, KMETRICS_ERR_UNAVAILABLE);
  }
  EXPECT_EQ(j_.calls, (std::vector<std::string>{"create", "start", "shutdown", "destroy"}));
}

TEST_F(HandleTest, ThrowingHookBecomesInternalAndIsCounted) {
  j_.scrape_throws = true;
  auto c = create();
  ASSERT_TRUE(c.handle->start().ok());
  const CallResult r = c.handle->scrape(req_, out_);
  EXPECT_EQ(r.status, KMETRICS_ERR_INTERNAL);
  EXPECT_EQ(r.summary(), "INTERNAL: scrape threw an exception: kubelet payload exploded");
  EXPECT_EQ(c.handle->errorCount(), 1u);
  c.handle->scrape(req_, out_);
  EXPECT_EQ(c.handle->errorCount(), 2u);
}

TEST_F(HandleTest, CreateFailureReturnsEveryDiagnosticAndNoHandle) {
  j_.create_fails = true;
  auto c = create();
  EXPECT_EQ(c.handle, nullptr);
  EXPECT_EQ(c.result.status, KMETRICS_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(c.result.diagnostics.size(), 2u);
  EXPECT_EQ(c.result.diagnostics[0].path, "port");
  EXPECT_EQ(c.result.diagnostics[1].message, "invalid value");
  EXPECT_EQ(j_.calls, (std::vector<std::string>{"create"}));  // nothing to destroy
}

TEST_F(HandleTest, WrongKindIsRefusedWithoutCallingThePlugin) {
  auto c = factory_.createSink({"x", "{}", host_.api(), host_.ctx()});
  EXPECT_EQ(c.handle, nullptr);
  EXPECT_EQ(c.result.summary(), "INVALID_ARGUMENT: type \"raw_source\" is not a sink");
  EXPECT_TRUE(j_.calls.empty());
}

// The same guarantees through the SDK's trampolines, with a source that uses host services.
class SdkSource : public sdk::Source {
 public:
  struct Config {
    int64_t nodes = 1;
  };
  static void describe(sdk::ConfigSpec<Config>& s) { s.field("nodes", &Config::nodes, "How many.").min(1); }
  SdkSource(const sdk::Context& ctx, Config c) : host_(ctx.host), config_(c) {
    if (config_.nodes > 100) {
      throw std::runtime_error("too many nodes");
    }
    host_.logger().info("created ", ctx.instance_name);
  }
  sdk::Status scrape(const sdk::ScrapeRequest&, const sdk::Emitter& out) override {
    for (int64_t i = 0; i < config_.nodes; ++i) {
      out.node("n" + std::to_string(i), kmetrics_point{1, 0, 2, 3});
    }
    return sdk::Status::unavailable("node n0 timed out");
  }

 private:
  sdk::Host host_;
  Config config_;
};

TEST(SdkHandle, ScrapeDiagnosticsAndConcurrency) {
  const auto* component = sdk::sourceComponent<SdkSource>({"sdk_source", "1.0.0", "alpha", "Test."});
  ComponentFactory factory(PluginLibrary::linked("sdk"), component);
  testing::FakeHost host;
  auto c = factory.createSource({"a", R"({"nodes": 3})", host.api(), host.ctx()});
  ASSERT_TRUE(c.result.ok()) << c.result.summary();
  EXPECT_TRUE(host.logged("created a"));
  ASSERT_TRUE(c.handle->start().ok());

  std::atomic<int> emitted{0};
  kmetrics_emitter out{sizeof(kmetrics_emitter), &emitted,
                       [](void* ctx, const kmetrics_node_sample*) { ++*static_cast<std::atomic<int>*>(ctx); },
                       nullptr, nullptr, nullptr};
  kmetrics_scrape_request req{sizeof(req), nullptr, 0, 0, KMETRICS_WANT_CORE};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        const CallResult r = c.handle->scrape(req, out);
        EXPECT_EQ(r.summary(), "UNAVAILABLE: node n0 timed out");
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(emitted.load(), 300);
  EXPECT_EQ(c.handle->errorCount(), 100u);
}

TEST(SdkHandle, ConfigErrorsAndConstructorExceptions) {
  const auto* component = sdk::sourceComponent<SdkSource>({"sdk_source", "1.0.0", "alpha", "Test."});
  ComponentFactory factory(PluginLibrary::linked("sdk"), component);
  testing::FakeHost host;
  auto bad = factory.createSource({"a", R"({"nodes": 0, "extra": true})", host.api(), host.ctx()});
  EXPECT_EQ(bad.handle, nullptr);
  ASSERT_EQ(bad.result.diagnostics.size(), 2u) << bad.result.summary();
  auto throws = factory.createSource({"a", R"({"nodes": 1000})", host.api(), host.ctx()});
  EXPECT_EQ(throws.result.summary(), "INTERNAL: unexpected exception: too many nodes");
}

}  // namespace
}  // namespace kmetrics
