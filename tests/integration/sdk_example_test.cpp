// Out-of-tree proof (W8): install the SDK into a temporary prefix, build sdk/examples/hello
// against that prefix alone, then load the resulting .so with the host's loader and run its source
// and its push sink through a FakeHost.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kmetrics/testing/fake_host.hpp"
#include "loader/plugin_registry.hpp"

namespace kmetrics {
namespace {

namespace fs = std::filesystem;

std::string quote(const std::string& s) { return "'" + s + "'"; }

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SdkExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    tmp_ = fs::temp_directory_path() / ("kmetrics-sdk-example-" + std::to_string(rd()));
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "kept for inspection: " << tmp_ << "\n";
      return;
    }
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  // Runs `command`, its output going to a log file; on failure returns the log.
  ::testing::AssertionResult run(const std::string& step, const std::string& command) {
    const fs::path log = tmp_ / (step + ".log");
    const int rc = std::system((command + " > " + quote(log.string()) + " 2>&1").c_str());
    if (rc != 0) {
      return ::testing::AssertionFailure()
             << step << " failed (" << rc << "): " << command << "\n" << readFile(log);
    }
    return ::testing::AssertionSuccess();
  }

  fs::path tmp_;
};

// An out-of-tree test project using the installed suite (find_package + kmetrics::testing).
constexpr const char* kConformanceProject = R"cmake(
cmake_minimum_required(VERSION 3.20)
project(example_conformance LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(kmetrics-sdk 0.1 REQUIRED)
find_package(GTest REQUIRED)
add_executable(example_conformance conformance_test.cpp
  ${EXAMPLE_DIR}/hello_source.cpp ${EXAMPLE_DIR}/json_lines_sink.cpp)
target_include_directories(example_conformance PRIVATE ${EXAMPLE_DIR})
target_link_libraries(example_conformance PRIVATE kmetrics::testing GTest::gtest GTest::gtest_main)
)cmake";

constexpr const char* kConformanceTest = R"cpp(
#include <kmetrics/testing/conformance.hpp>

#include "hello_source.hpp"
#include "json_lines_sink.hpp"

KMETRICS_CONFORMANCE_LINKED(Hello, example::HelloSource, "example_hello");
KMETRICS_CONFORMANCE_LINKED(JsonLines, example::JsonLinesSink, "example_json_lines",
                            {.start_config = R"({"path": "${TMPDIR}/b.jsonl"})"});
)cpp";

struct Emitted {
  std::vector<std::string> names;
  std::vector<kmetrics_point> points;
};

TEST_F(SdkExampleTest, BuildsAgainstInstalledSdkAndRunsThroughTheLoader) {
  const std::string cmake = KMETRICS_CMAKE_COMMAND;
  const fs::path prefix = tmp_ / "prefix";
  const fs::path src = tmp_ / "src";
  const fs::path build = tmp_ / "build";

  // (a) install the SDK (only its install rules) into a fresh prefix
  ASSERT_TRUE(run("install", quote(cmake) + " --install " + quote(KMETRICS_SDK_BUILD_DIR) +
                                 " --prefix " + quote(prefix.string())));
  ASSERT_TRUE(fs::exists(prefix / "include/kmetrics/abi.h"));
  ASSERT_TRUE(fs::exists(prefix / "include/kmetrics/testing/fake_host.hpp"));
  ASSERT_TRUE(fs::exists(prefix / "include/kmetrics/testing/conformance.hpp"));
  EXPECT_FALSE(fs::exists(prefix / "include/kmetrics/testing/conformance_loaded.hpp"))
      << "conformance_loaded.hpp needs the host's loader and must not be installed";

  // (b) build a copy of the example against that prefix alone
  fs::copy(KMETRICS_EXAMPLE_SOURCE_DIR, src, fs::copy_options::recursive);
  ASSERT_TRUE(run("configure",
                  quote(cmake) + " -S " + quote(src.string()) + " -B " + quote(build.string()) +
                      " -G " + quote(KMETRICS_GENERATOR) +
                      " -DCMAKE_MAKE_PROGRAM=" + quote(KMETRICS_MAKE_PROGRAM) +
                      " -DCMAKE_CXX_COMPILER=" + quote(KMETRICS_CXX_COMPILER) +
                      " -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON" +
                      " -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF" +
                      " -DCMAKE_PREFIX_PATH=" + quote(prefix.string())));
  ASSERT_TRUE(run("build", quote(cmake) + " --build " + quote(build.string())));
  const std::string commands = readFile(build / "compile_commands.json");
  EXPECT_EQ(commands.find(KMETRICS_SOURCE_INCLUDE_DIR), std::string::npos)
      << "the example saw the source tree's SDK headers";
  EXPECT_NE(commands.find((prefix / "include").string()), std::string::npos);
  const fs::path plugin = build / "libkmetrics_example_hello.so";
  ASSERT_TRUE(fs::exists(plugin));

  // The installed conformance suite, instantiated out of tree on the example's classes.
  const fs::path suite = tmp_ / "conformance";
  fs::create_directories(suite);
  std::ofstream(suite / "CMakeLists.txt") << kConformanceProject;
  std::ofstream(suite / "conformance_test.cpp") << kConformanceTest;
  ASSERT_TRUE(run("conformance-configure",
                  quote(cmake) + " -S " + quote(suite.string()) + " -B " +
                      quote((suite / "build").string()) + " -G " + quote(KMETRICS_GENERATOR) +
                      " -DCMAKE_MAKE_PROGRAM=" + quote(KMETRICS_MAKE_PROGRAM) +
                      " -DCMAKE_CXX_COMPILER=" + quote(KMETRICS_CXX_COMPILER) +
                      " -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF" +
                      " -DEXAMPLE_DIR=" + quote(src.string()) +
                      " -DCMAKE_PREFIX_PATH=" + quote(prefix.string())));
  ASSERT_TRUE(run("conformance-build", quote(cmake) + " --build " + quote((suite / "build").string())));
  ASSERT_TRUE(run("conformance-run", quote((suite / "build" / "example_conformance").string())));

  // (c) load it with the host's loader
  PluginRegistry registry;
  ASSERT_TRUE(registry.loadFile(plugin)) << registry.errors().front().toString();
  EXPECT_EQ(registry.types(), (std::vector<std::string>{"example_hello", "example_json_lines"}));
  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_NE(registry.plugins()[0].build_info.find("build=release"), std::string::npos);

  // The source: scrape one node through a FakeHost.
  testing::FakeHost host;
  auto source = registry.find("example_hello")
                    ->createSource({"hello", R"({"cpu_millicores": 500, "memory_bytes": 1048576})",
                                    host.api(), host.ctx()});
  ASSERT_TRUE(source.result.ok()) << source.result.summary();
  ASSERT_TRUE(source.handle->start().ok());
  const std::string node = "node-a";
  const kmetrics_node_info info{sizeof(info), {node.data(), node.size()}, nullptr, 0, nullptr, 0,
                                nullptr, 0, 10250, 1};
  const int64_t now = testing::FakeHost::kDefaultNowUnixNs + 10'000'000'000;  // 10s after create
  const kmetrics_scrape_request req{sizeof(req), &info, 0, now, KMETRICS_WANT_CORE};
  Emitted got;
  const kmetrics_emitter out{sizeof(out), &got,
                             [](void* self, const kmetrics_node_sample* s) {
                               auto* e = static_cast<Emitted*>(self);
                               e->names.emplace_back(s->node.ptr, s->node.len);
                               e->points.push_back(s->point);
                             },
                             nullptr, nullptr, nullptr};
  const CallResult scraped = source.handle->scrape(req, out);
  ASSERT_TRUE(scraped.ok()) << scraped.summary();
  ASSERT_EQ(got.names, std::vector<std::string>{"node-a"});
  EXPECT_EQ(got.points[0].timestamp_unix_ns, now);
  EXPECT_EQ(got.points[0].memory_working_set, 1048576u);
  EXPECT_EQ(got.points[0].cpu_cumulative_ns, 10'000'000'000ull / 1000 * 500 + 1);
  source.handle->shutdown(0);

  // The push sink: one batch with what the source emitted, written as JSON lines.
  const fs::path lines = tmp_ / "batches.jsonl";
  auto sink = registry.find("example_json_lines")
                  ->createSink({"lines", nlohmann::json{{"path", lines.string()}}.dump(),
                                host.api(), host.ctx()});
  ASSERT_TRUE(sink.result.ok()) << sink.result.summary();
  ASSERT_TRUE(sink.handle->start().ok());
  const kmetrics_node_sample n{sizeof(n), {node.data(), node.size()}, got.points[0], nullptr};
  kmetrics_container_sample c{sizeof(c), {"kube-system", 11}, {"coredns-1", 9}, {"coredns", 7},
                              {node.data(), node.size()}, {now, now - 1, 123456, 789}, nullptr};
  const kmetrics_batch batch{sizeof(batch), now, &n, 1, nullptr, 0, &c, 1};
  const CallResult consumed = sink.handle->consume(batch);
  ASSERT_TRUE(consumed.ok()) << consumed.summary();
  sink.handle->shutdown(0);
  sink.handle.reset();

  std::ifstream in(lines);
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(in, line);) {
    rows.push_back(nlohmann::json::parse(line));
  }
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (nlohmann::json{{"kind", "node"},
                                     {"node", "node-a"},
                                     {"timestamp_unix_ns", now},
                                     {"cpu_cumulative_ns", 5'000'000'001ull},
                                     {"memory_working_set", 1048576}}));
  EXPECT_EQ(rows[1], (nlohmann::json{{"kind", "container"},
                                     {"namespace", "kube-system"},
                                     {"pod", "coredns-1"},
                                     {"container", "coredns"},
                                     {"timestamp_unix_ns", now},
                                     {"cpu_cumulative_ns", 123456},
                                     {"memory_working_set", 789}}));
}

}  // namespace
}  // namespace kmetrics
