// Registry rules on linked-in descriptors (no dlopen): the .so cases live in tests/abi.
#include "loader/plugin_registry.hpp"

#include <gtest/gtest.h>

#include "loader/plugin_dirs.hpp"

namespace kmetrics {
namespace {

kmetrics_status create(const kmetrics_host_api*, void*, kmetrics_str, kmetrics_str,
                       const kmetrics_diag*, void** out) {
  *out = nullptr;
  return KMETRICS_OK;
}
kmetrics_status start(void*, const kmetrics_diag*) { return KMETRICS_OK; }
void shutdown(void*, int64_t) {}
void destroy(void*) {}
kmetrics_status consume(void*, const kmetrics_batch*, const kmetrics_diag*) { return KMETRICS_OK; }

kmetrics_component sink(const char* type) {
  kmetrics_component c{};
  c.struct_size = sizeof(c);
  c.kind = KMETRICS_KIND_SINK;
  c.scope_or_mode = KMETRICS_SINK_PUSH;
  c.type = type;
  c.version = "1.0.0";
  c.create = create;
  c.start = start;
  c.shutdown = shutdown;
  c.destroy = destroy;
  c.consume = consume;
  return c;
}

const kmetrics_component kA = sink("sink_a");
const kmetrics_component kB = sink("sink_b");
const kmetrics_component kBad = sink("Sink-Bad");
const kmetrics_component* const kListAB[] = {&kA, &kB};
const kmetrics_component* const kListA[] = {&kA};
const kmetrics_component* const kListBBad[] = {&kB, &kBad};
const kmetrics_component* const kListBB[] = {&kB, &kB};

const kmetrics_plugin_descriptor* entryAB(const kmetrics_host_info* h) {
  EXPECT_EQ(h->abi_major, 1u);
  EXPECT_EQ(h->struct_size, sizeof(kmetrics_host_info));
  static const kmetrics_plugin_descriptor d{sizeof(d), 1, 0, "ab", "1.2.3", "gcc; release", kListAB, 2};
  return &d;
}
const kmetrics_plugin_descriptor* entryA(const kmetrics_host_info*) {
  static const kmetrics_plugin_descriptor d{sizeof(d), 1, 0, "a", "1.0.0", "", kListA, 1};
  return &d;
}
const kmetrics_plugin_descriptor* entryBBad(const kmetrics_host_info*) {
  static const kmetrics_plugin_descriptor d{sizeof(d), 1, 0, "bbad", "1.0.0", "", kListBBad, 2};
  return &d;
}
const kmetrics_plugin_descriptor* entryBB(const kmetrics_host_info*) {
  static const kmetrics_plugin_descriptor d{sizeof(d), 1, 0, "bb", "1.0.0", "", kListBB, 2};
  return &d;
}
const kmetrics_plugin_descriptor* entryNull(const kmetrics_host_info*) { return nullptr; }
const kmetrics_plugin_descriptor* entryThrows(const kmetrics_host_info*) {
  throw std::runtime_error("static init failed");
}

TEST(PluginRegistry, RegistersEveryComponentAndRecordsBuildInfo) {
  PluginRegistry r;
  ASSERT_TRUE(r.addLinked("ab", entryAB));
  EXPECT_EQ(r.types(), (std::vector<std::string>{"sink_a", "sink_b"}));
  ASSERT_NE(r.find("sink_b"), nullptr);
  EXPECT_TRUE(r.find("sink_b")->isPushSink());
  EXPECT_EQ(r.find("nope"), nullptr);
  ASSERT_EQ(r.plugins().size(), 1u);
  EXPECT_EQ(r.plugins()[0].build_info, "gcc; release");
  EXPECT_EQ(r.plugins()[0].file, "<linked:ab>");
  EXPECT_TRUE(r.errors().empty());
}

TEST(PluginRegistry, DuplicateTypeRefusesTheSecondLibraryNamingBoth) {
  PluginRegistry r;
  ASSERT_TRUE(r.addLinked("ab", entryAB));
  EXPECT_FALSE(r.addLinked("a", entryA));
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].toString(),
            "<linked:a>: component type \"sink_a\" is already registered by <linked:ab>; this "
            "library is refused");
}

TEST(PluginRegistry, LibraryIsAllOrNothing) {
  PluginRegistry r;
  EXPECT_FALSE(r.addLinked("bbad", entryBBad));
  EXPECT_EQ(r.find("sink_b"), nullptr);  // the good component of a bad library is not registered
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].reason,
            "component #1 has invalid type name \"Sink-Bad\" (must match ^[a-z][a-z0-9_]{0,62}$)");
  EXPECT_FALSE(r.addLinked("bb", entryBB));
  EXPECT_EQ(r.errors()[1].reason, "component type \"sink_b\" is declared twice in this library");
}

TEST(PluginRegistry, EntryFunctionFailures) {
  PluginRegistry r;
  EXPECT_FALSE(r.addLinked("null", entryNull));
  EXPECT_FALSE(r.addLinked("throws", entryThrows));
  ASSERT_EQ(r.errors().size(), 2u);
  EXPECT_EQ(r.errors()[0].reason, "entry function returned no descriptor (the plugin refused host ABI 1.1)");
  EXPECT_EQ(r.errors()[1].reason, "entry function threw an exception: static init failed");
}

TEST(PluginRegistry, MissingDirectoryIsAnErrorOnlyWhenRequired) {
  PluginRegistry r;
  r.loadDirectory("/nonexistent/kmetrics/plugins", false);
  EXPECT_TRUE(r.errors().empty());
  r.loadDirectory("/nonexistent/kmetrics/plugins", true);
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].toString(),
            "/nonexistent/kmetrics/plugins: plugin directory does not exist or is not a directory");
}

TEST(PluginRegistry, MissingFileNamesTheDlopenError) {
  PluginRegistry r;
  EXPECT_FALSE(r.loadFile("/nonexistent/libkmetrics_x.so"));
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].file, "/nonexistent/libkmetrics_x.so");
  EXPECT_EQ(r.errors()[0].reason.rfind("cannot load library: ", 0), 0u) << r.errors()[0].reason;
  EXPECT_NE(r.errors()[0].reason.find("No such file"), std::string::npos) << r.errors()[0].reason;
}

TEST(PluginDirs, BuildTreeThenInstallPrefix) {
  const auto dirs = defaultPluginDirs();
  ASSERT_GE(dirs.size(), 2u);
  EXPECT_EQ(dirs.front().filename(), "plugins");
  EXPECT_EQ(dirs.front().parent_path().filename(), "kmetrics");
  EXPECT_EQ(dirs.back().string(), std::string(KMETRICS_TEST_INSTALL_PLUGIN_DIR));
}

}  // namespace
}  // namespace kmetrics
