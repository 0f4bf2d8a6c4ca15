// --help parity with metrics-server v0.9 and the accept-or-refuse guarantee for every one of its flags.
#include "config/help_text.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "config/flag_table.hpp"
#include "config/flag_values.hpp"
#include "config/load.hpp"

namespace kmetrics::config {
namespace {

std::string read_golden() {
  std::ifstream in(KMETRICS_GOLDEN_FLAGS);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// metrics-server's test-image.sh strips trailing whitespace before diffing; so do we.
std::string strip_trailing_spaces(const std::string& text) {
  std::string out, line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::set<std::string> golden_flag_names() {
  std::set<std::string> names;
  std::istringstream in(read_golden());
  std::string line;
  static const std::regex re(R"(^\s+(?:-\w, )?--([a-z0-9-]+).*)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, re) && line.find_first_not_of(' ') < 10) names.insert(m[1]);
  }
  return names;
}

TEST(Help, MetricsServerSectionsAreByteIdentical) {
  std::string golden = read_golden();
  ASSERT_FALSE(golden.empty()) << "missing " << KMETRICS_GOLDEN_FLAGS;
  std::string golden_sections = golden.substr(golden.find("\nMetrics server flags:"));
  std::string ours = flag_sections_text();
  std::string ours_ms = ours.substr(0, ours.find("\nkmetrics flags:"));
  EXPECT_EQ(strip_trailing_spaces(ours_ms), strip_trailing_spaces(golden_sections));
}

TEST(Help, SectionsInMetricsServerOrderThenOurs) {
  std::string help = help_text();
  std::size_t pos = 0;
  for (const char* title : {"Metrics server flags:", "Generic flags:", "Kubelet client flags:",
                            "Apiserver secure serving flags:", "Apiserver authentication flags:",
                            "Apiserver authorization flags:", "Apiserver audit log flags:", "Features flags:",
                            "Logging flags:", "kmetrics flags:"}) {
    std::size_t at = help.find(std::string("\n") + title + "\n", pos);
    ASSERT_NE(at, std::string::npos) << title;
    pos = at + 1;
  }
  for (const char* ours : {"--config string", "--heapster-port int", "--kubelet-endpoint string", "--plugin-dir strings",
                           "-h, --help"}) {
    EXPECT_NE(help.find(ours, pos), std::string::npos) << ours;
  }
}

TEST(Help, FlagSetEqualsGoldenFile) {
  std::set<std::string> golden = golden_flag_names();
  std::set<std::string> ours;
  for (const auto& f : flag_table()) {
    if (f.section != FlagSection::kmetrics) ours.insert(std::string(f.name));
  }
  EXPECT_EQ(golden.size(), 103u);
  EXPECT_EQ(ours, golden);
}

// A value of the flag's type that differs from its default.
std::string non_default_value(const FlagSpec& f) {
  switch (f.kind) {
    case FlagKind::boolean: return f.default_value == "true" ? "false" : "true";
    case FlagKind::integer: return "7";
    case FlagKind::number: return "0.01";
    case FlagKind::duration: return "7s";
    case FlagKind::ip: return "10.1.2.3";
    case FlagKind::string_slice: return f.name == "tls-curve-preferences" ? "23" : "x";
    case FlagKind::quantity: return "1Ki";
    case FlagKind::string: return "x";
  }
  return "x";
}

// The flag's default written back on the command line.
std::string default_arg(const FlagSpec& f) {
  std::string d(f.default_value);
  if (f.kind == FlagKind::string_slice && d.size() >= 2 && d.front() == '[') d = d.substr(1, d.size() - 2);
  if (f.kind == FlagKind::boolean && d.empty()) d = "false";
  if (d.empty() && (f.kind == FlagKind::integer || f.kind == FlagKind::number || f.kind == FlagKind::quantity)) d = "0";
  if (d.empty() && f.kind == FlagKind::duration) d = "0s";
  if (d.empty() && f.kind == FlagKind::ip) d = "0.0.0.0";
  return "--" + std::string(f.name) + "=" + d;
}

TEST(Help, EveryMetricsServerFlagIsAcceptedAtItsDefault) {
  for (const auto& f : flag_table()) {
    if (f.section == FlagSection::kmetrics || f.name == "version") continue;
    std::string arg = default_arg(f);
    auto r = load_config(std::vector<std::string>{arg});
    EXPECT_TRUE(r.ok()) << arg << "\n" << format_errors(r.errors);
  }
}

TEST(Help, RefusedFlagsNameThemselvesWhenChanged) {
  int refused = 0;
  for (const auto& f : flag_table()) {
    if (f.policy != FlagPolicy::refused) continue;
    ++refused;
    std::string arg = "--" + std::string(f.name) + "=" + non_default_value(f);
    auto r = load_config(std::vector<std::string>{arg});
    ASSERT_EQ(r.errors.size(), 1u) << arg << "\n" << format_errors(r.errors);
    EXPECT_EQ(r.errors[0].to_string().rfind("--" + std::string(f.name) + " is not supported by kmetrics (", 0), 0u)
        << r.errors[0].to_string();
  }
  EXPECT_EQ(refused, 50);  // 31 audit flags + 19 others; config/README.md lists them
}

TEST(Help, NoOpListIsSmallAndExplicit) {
  std::set<std::string> no_op;
  for (const auto& f : flag_table()) {
    if (f.policy == FlagPolicy::no_op) no_op.insert(std::string(f.name));
  }
  EXPECT_EQ(no_op, (std::set<std::string>{"advertise-address", "external-hostname", "max-mutating-requests-inflight",
                                          "min-request-timeout", "shutdown-watch-termination-grace-period",
                                          "storage-initialization-timeout", "disable-http2-serving",
                                          "http2-max-streams-per-connection", "enable-priority-and-fairness",
                                          "profiling"}));
}

TEST(Help, EveryImplementedFlagChangesTheConfig) {
  for (const auto& f : flag_table()) {
    if (f.policy != FlagPolicy::implemented || f.detail.empty()) continue;
    std::string value = f.name == "kubelet-endpoint" ? "summary" : non_default_value(f);
    auto r = load_config(std::vector<std::string>{"--" + std::string(f.name) + "=" + value});
    EXPECT_TRUE(r.provenance.from_flag(std::string(f.detail))) << f.name;
  }
}

}  // namespace
}  // namespace kmetrics::config

namespace kmetrics::config {
namespace {

// config/README.md documents the policy of every flag; keep it in step with the table.
TEST(Help, ReadmeListsEveryFlagWithItsPolicy) {
  std::ifstream in(std::string(KMETRICS_CONFIG_DIR) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string readme = ss.str();
  ASSERT_FALSE(readme.empty());
  std::size_t no_op_at = readme.find("### metrics-server flags: accepted, no effect");
  std::size_t refused_at = readme.find("### metrics-server flags: refused unless left at the default");
  ASSERT_NE(no_op_at, std::string::npos);
  ASSERT_NE(refused_at, std::string::npos);
  for (const auto& f : flag_table()) {
    std::string row = "| `--" + std::string(f.name) + "`";
    std::size_t at = readme.find(row);
    ASSERT_NE(at, std::string::npos) << row;
    if (f.policy == FlagPolicy::no_op) {
      EXPECT_TRUE(at > no_op_at && at < refused_at) << f.name;
    } else if (f.policy == FlagPolicy::refused) {
      EXPECT_GT(at, refused_at) << f.name;
    } else {
      EXPECT_LT(at, no_op_at) << f.name;
    }
  }
}

}  // namespace
}  // namespace kmetrics::config
