// Loads the fixture directory (every bad plugin plus good ones) and checks that each bad library
// is refused with exactly its documented error while the good plugins register and work.
#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kmetrics/testing/fake_host.hpp"
#include "loader/plugin_registry.hpp"

namespace kmetrics {
namespace {

const std::string kDir = KMETRICS_ABI_FIXTURE_DIR;

std::string lib(const std::string& name) { return kDir + "/libkmetrics_" + name + ".so"; }

// Collects what a scrape emits.
struct Collected {
  std::vector<std::pair<std::string, uint64_t>> nodes;  // (name, cpu)
  kmetrics_emitter emitter() {
    return {sizeof(kmetrics_emitter), this,
            [](void* self, const kmetrics_node_sample* s) {
              static_cast<Collected*>(self)->nodes.emplace_back(std::string(s->node.ptr, s->node.len),
                                                                s->point.cpu_cumulative_ns);
            },
            [](void*, const kmetrics_pod_sample*) {}, [](void*, const kmetrics_container_sample*) {},
            [](void*, kmetrics_str, uint64_t) {}};
  }
};

class AbiLoaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new PluginRegistry();
    registry_->loadDirectory(kDir, /*required=*/true);
  }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
  }

  // create -> start -> scrape on a node -> shutdown -> destroy; returns the scrape's result.
  CallResult scrapeOnce(const std::string& type, Collected& got) {
    const ComponentFactory* f = registry_->find(type);
    EXPECT_NE(f, nullptr) << type << " is not registered";
    if (f == nullptr) {
      return {KMETRICS_ERR_NOT_FOUND, {}};
    }
    auto created = f->createSource({"test", "{}", host_.api(), host_.ctx()});
    EXPECT_TRUE(created.result.ok()) << created.result.summary();
    if (!created.handle) {
      return created.result;
    }
    EXPECT_TRUE(created.handle->start().ok());
    const std::string node = "fixture-node";
    const kmetrics_node_info info{sizeof(info), {node.data(), node.size()}, nullptr, 0, nullptr, 0,
                                  nullptr, 0, 10250, 1};
    const kmetrics_scrape_request req{sizeof(req), &info, 0, 123, KMETRICS_WANT_CORE};
    const auto out = got.emitter();
    CallResult r = created.handle->scrape(req, out);
    created.handle->shutdown(0);
    host_.markShutdown();
    created.handle.reset();  // destroy
    EXPECT_TRUE(host_.callsAfterShutdown().empty());
    host_.clearShutdown();
    return r;
  }

  static PluginRegistry* registry_;
  testing::FakeHost host_;
};

PluginRegistry* AbiLoaderTest::registry_ = nullptr;

TEST_F(AbiLoaderTest, EachBadLibraryHasExactlyItsError) {
  const std::string hostAbi = "1.1";
  const std::map<std::string, std::vector<std::string>> expected = {
      {lib("abi_wrong_major"), {"descriptor declares ABI major 2, host speaks 1"}},
      {lib("abi_entry_v2_only"),
       {"built for ABI major 2, host speaks 1 (exports kmetrics_plugin_entry_v2, not "
        "kmetrics_plugin_entry_v1)"}},
      {lib("abi_newer_minor"),
       {"built for ABI 1.7, host speaks " + hostAbi + " (the plugin's minor version is newer than the host's)"}},
      {lib("abi_small_descriptor"),
       {"descriptor struct_size " + std::to_string(offsetof(kmetrics_plugin_descriptor, components)) +
        " is smaller than the ABI 1.0 minimum " + std::to_string(sizeof(kmetrics_plugin_descriptor))}},
      {lib("abi_small_component"),
       {"component #0 struct_size " + std::to_string(offsetof(kmetrics_component, create)) +
        " is smaller than the ABI 1.0 minimum " + std::to_string(sizeof(kmetrics_component))}},
      {lib("abi_no_entry"),
       {"no entry symbol kmetrics_plugin_entry_v1 (not a kmetrics plugin, or built without "
        "KMETRICS_PLUGIN)"}},
      {lib("abi_entry_is_function"),
       {"entry symbol kmetrics_plugin_entry_v1 is a function; it must be a `const void*` data "
        "symbol holding the entry function's address (use KMETRICS_PLUGIN or BOOST_DLL_ALIAS)"}},
      {lib("abi_null_descriptor"),
       {"entry function returned no descriptor (the plugin refused host ABI " + hostAbi + ")"}},
      {lib("abi_null_hooks"),
       {"component \"null_hooks_source\" (source) has NULL required hooks: destroy, scrape"}},
      {lib("abi_bad_type"),
       {"component #0 has invalid type name \"Bad-Type\" (must match ^[a-z][a-z0-9_]{0,62}$)"}},
      {lib("abi_dup_b"),
       {"component type \"dup_source\" is already registered by " + lib("abi_dup_a") +
        "; this library is refused"}},
      {lib("junk"), {"cannot load library: " + lib("junk") + ": invalid ELF header"}},
  };
  std::map<std::string, std::vector<std::string>> actual;
  for (const auto& e : registry_->errors()) {
    actual[e.file].push_back(e.reason);
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(AbiLoaderTest, GoodPluginsAreRegistered) {
  EXPECT_EQ(registry_->types(),
            (std::vector<std::string>{"dup_source", "failing_scrape", "good_sink", "good_source",
                                      "larger_source", "raw_throwing_scrape", "shadow_a_source",
                                      "shadow_b_source", "strict_config", "throwing_create",
                                      "throwing_scrape"}));
  const LoadedPlugin* good = nullptr;
  for (const auto& p : registry_->plugins()) {
    if (p.file == KMETRICS_ABI_GOOD_PLUGIN) {
      good = &p;
    }
  }
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->name, "abi_good");
  EXPECT_NE(good->build_info.find("compiler="), std::string::npos) << good->build_info;
  EXPECT_NE(good->build_info.find("abi=1.1"), std::string::npos) << good->build_info;
  EXPECT_EQ(good->abi_minor, 1u);
}

TEST_F(AbiLoaderTest, GoodSourceWorksEndToEnd) {
  Collected got;
  const CallResult r = scrapeOnce("good_source", got);
  EXPECT_TRUE(r.ok()) << r.summary();
  EXPECT_EQ(got.nodes, (std::vector<std::pair<std::string, uint64_t>>{{"fixture-node", 7}}));
}

TEST_F(AbiLoaderTest, GoodPushSinkConsumes) {
  const ComponentFactory* f = registry_->find("good_sink");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->isPushSink());
  auto created = f->createSink({"out", "{}", host_.api(), host_.ctx()});
  ASSERT_TRUE(created.result.ok()) << created.result.summary();
  ASSERT_TRUE(created.handle->start().ok());
  kmetrics_node_sample n{sizeof(n), {"n1", 2}, {1, 0, 2, 3}, nullptr};
  const kmetrics_batch batch{sizeof(batch), 1, &n, 1, nullptr, 0, nullptr, 0};
  EXPECT_TRUE(created.handle->consume(batch).ok());
  EXPECT_TRUE(host_.logged("consumed 1 nodes"));
}

TEST_F(AbiLoaderTest, LargerStructsAreAcceptedAndWork) {
  Collected got;
  EXPECT_TRUE(scrapeOnce("larger_source", got).ok());
  EXPECT_EQ(got.nodes.size(), 1u);
}

// Plugins built for ABI 1.0 (larger_structs and raw_scrape_throws declare minor 0) still load and
// run in a 1.1 host: a newer host accepts every older minor.
TEST_F(AbiLoaderTest, PluginBuiltForAbi10IsAccepted) {
  const LoadedPlugin* v10 = nullptr;
  for (const auto& p : registry_->plugins()) {
    if (p.file == lib("abi_larger_structs")) {
      v10 = &p;
    }
  }
  ASSERT_NE(v10, nullptr);
  EXPECT_EQ(v10->abi_major, 1u);
  EXPECT_EQ(v10->abi_minor, 0u);
  ASSERT_GT(KMETRICS_ABI_VERSION_MINOR, v10->abi_minor);
  Collected got;
  EXPECT_TRUE(scrapeOnce("larger_source", got).ok());
  EXPECT_EQ(got.nodes.size(), 1u);
}

TEST_F(AbiLoaderTest, DuplicateTypeKeepsTheFirstLibrary) {
  ASSERT_NE(registry_->find("dup_source"), nullptr);
  EXPECT_EQ(registry_->find("dup_source")->file(), std::string(KMETRICS_ABI_DUP_A));
}

TEST_F(AbiLoaderTest, SameHelperSymbolInTwoLibrariesDoesNotShadow) {
  Collected a, b;
  EXPECT_TRUE(scrapeOnce("shadow_a_source", a).ok());
  EXPECT_TRUE(scrapeOnce("shadow_b_source", b).ok());
  ASSERT_EQ(a.nodes.size(), 1u);
  ASSERT_EQ(b.nodes.size(), 1u);
  EXPECT_EQ(a.nodes[0].second, 1u);
  EXPECT_EQ(b.nodes[0].second, 2u);
}

TEST_F(AbiLoaderTest, ThrowingConstructorIsInternalWithItsMessage) {
  auto created = registry_->find("throwing_create")->createSource({"x", "{}", host_.api(), host_.ctx()});
  EXPECT_EQ(created.handle, nullptr);
  EXPECT_EQ(created.result.summary(), "INTERNAL: unexpected exception: cannot allocate scrape buffers");
}

TEST_F(AbiLoaderTest, FailingScrapeIsReportedAndCounted) {
  Collected got;
  const CallResult r = scrapeOnce("failing_scrape", got);
  EXPECT_EQ(r.summary(), "UNAVAILABLE: kubelet on fixture-node refused the connection");
  // The host keeps going: the good plugin still works afterwards.
  EXPECT_TRUE(scrapeOnce("good_source", got).ok());
}

TEST_F(AbiLoaderTest, ThrowingScrapeIsContainedBySdk) {
  Collected got;
  EXPECT_EQ(scrapeOnce("throwing_scrape", got).summary(),
            "INTERNAL: unexpected exception: decoder bug: index 12 past the end");
}

TEST_F(AbiLoaderTest, ExceptionThroughTheCAbiIsContainedByTheHost) {
  const ComponentFactory* f = registry_->find("raw_throwing_scrape");
  ASSERT_NE(f, nullptr);
  auto created = f->createSource({"x", "{}", host_.api(), host_.ctx()});
  ASSERT_TRUE(created.handle->start().ok());
  kmetrics_scrape_request req{sizeof(req), nullptr, 0, 0, KMETRICS_WANT_CORE};
  Collected got;
  const auto out = got.emitter();
  EXPECT_EQ(created.handle->scrape(req, out).summary(),
            "INTERNAL: scrape threw an exception: raw plugin bug");
  EXPECT_EQ(created.handle->scrape(req, out).status, KMETRICS_ERR_INTERNAL);
  EXPECT_EQ(created.handle->errorCount(), 2u);
}

TEST_F(AbiLoaderTest, CreateReportsEveryConfigError) {
  auto created = registry_->find("strict_config")
                     ->createSource({"x", R"({"port": 0, "mode": "fast", "bogus": true})",
                                     host_.api(), host_.ctx()});
  EXPECT_EQ(created.handle, nullptr);
  EXPECT_EQ(created.result.status, KMETRICS_ERR_INVALID_ARGUMENT);
  std::map<std::string, std::string> byPath;
  for (const auto& d : created.result.diagnostics) {
    byPath[d.path] = d.message;
  }
  EXPECT_EQ(byPath, (std::map<std::string, std::string>{
                        {"bogus", "unknown key; valid keys: port, mode"},
                        {"mode", "invalid value \"fast\"; valid values: \"resource\", \"summary\", \"auto\""},
                        {"port", "value 0 is below the minimum 1"}}));
}

TEST_F(AbiLoaderTest, ReloadingTheSameDirectoryAddsNothing) {
  const size_t errors = registry_->errors().size();
  const size_t plugins = registry_->plugins().size();
  registry_->loadDirectory(kDir, true);
  EXPECT_EQ(registry_->errors().size(), errors);
  EXPECT_EQ(registry_->plugins().size(), plugins);
}

}  // namespace
}  // namespace kmetrics
