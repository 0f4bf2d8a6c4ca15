// The SDK example plugin (a source and a push sink built against the SDK) running inside the real
// kmetrics host next to the in-tree plugins: loaded with --plugin-dir, configured from a YAML file,
// its sink fed every tick, its lower-priority source never shadowing the kubelet source.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "metrics_api.hpp"
#include "process_runner.hpp"
#include "sim_fixture.hpp"
#include "top_checks.hpp"

namespace kmetrics::e2e {
namespace {

std::string& workDir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/kmetrics-e2e-sdk.XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d == nullptr ? "/tmp" : d);
  }();
  return dir;
}

std::string linesFile() { return workDir() + "/batches.jsonl"; }

// Written before the cluster starts: the kubelet source outranks the example source.
std::string writeConfig() {
  const std::string path = workDir() + "/kmetrics.yaml";
  std::ofstream out(path);
  out << "sources:\n"
         "  - type: kubelet\n"
         "    name: kubelet\n"
         "    priority: 10\n"
         "  - type: example_hello\n"
         "    name: hello\n"
         "    priority: 0\n"
         "    config: {cpu_millicores: 250, memory_bytes: 67108864}\n"
         "sinks:\n"
         "  - type: metrics_api\n"
         "    name: metrics-api\n"
         "  - type: example_json_lines\n"
         "    name: lines\n"
         "    config: {path: "
      << linesFile() << "}\n";
  return path;
}

TEST(SdkExampleInHost, PluginsListShowsTheExampleTypes) {
  auto r = runCommand({kmetricsBinary(), "plugins", "list", "--plugin-dir", KMETRICS_E2E_EXAMPLE_PLUGIN_DIR},
                      std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* type : {"example_hello", "example_json_lines", "kubelet", "metrics_api"}) {
    EXPECT_NE(r.out.find(type), std::string::npos) << type << " missing from:\n" << r.out;
  }
}

TEST(SdkExampleInHost, PushSinkReceivesEveryNodeEachTick) {
  const Truth truth = cluster().truth();
  ASSERT_FALSE(truth.nodes.empty());
  bool all = waitUntil(
      [&] {
        const std::string lines = readFile(linesFile());
        for (const auto& n : truth.nodes) {
          if (lines.find("\"node\":\"" + n.name + "\"") == std::string::npos) return false;
        }
        return lines.find("\"kind\":\"container\"") != std::string::npos;
      },
      std::chrono::seconds(60));
  EXPECT_TRUE(all) << "JSON lines so far:\n" << readFile(linesFile()).substr(0, 2000);
}

TEST(SdkExampleInHost, KubeletSourceOutranksTheExampleSource) {
  const Truth truth = cluster().truth();
  bool ok = false;
  const auto served = servedNodes(cluster(), &ok);
  ASSERT_TRUE(ok);
  for (const auto& n : truth.nodes) {
    auto it = served.find(n.name);
    ASSERT_NE(it, served.end()) << n.name << " not served";
    // The example source reports 250m and 64Mi for every node; the served value must be the truth.
    EXPECT_TRUE(cpuClose(static_cast<int64_t>(it->second.cpu_cores * 1000 + 0.5L), n.cpu_m))
        << n.name << ": served " << it->second.cpu_cores << " cores, truth " << n.cpu_m << "m";
    EXPECT_NE(static_cast<int64_t>(it->second.memory_bytes), 67108864) << n.name;
  }
}

[[maybe_unused]] const bool kEnv =
    (installClusterEnvironment({.nodes = 3,
                                .pods_per_node = 3,
                                .extra_kmetrics_args = {"--config", writeConfig(), "--plugin-dir",
                                                        KMETRICS_E2E_EXAMPLE_PLUGIN_DIR}}),
     true);

}  // namespace
}  // namespace kmetrics::e2e
