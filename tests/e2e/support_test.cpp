// The suite's own parsers and tolerances, without a cluster.
#include <gtest/gtest.h>

#include "top_output_parser.hpp"
#include "truth.hpp"

namespace kmetrics::e2e {
namespace {

TEST(TopOutputParser, NewAndOldNodeHeadersTrailingSpacesAndUnknownRows) {
  const std::string v133 =
      "NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n"
      "node-a   1m           0%          1000Mi          14%         \n"
      "node-c   <unknown>    <unknown>   <unknown>       <unknown>   \n";
  auto t = parseTopTable(v133);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].at("CPU(%)"), "0%");
  EXPECT_EQ(*parseMemMi(t.rows[0].at("MEMORY(bytes)")), 1000);
  EXPECT_TRUE(t.rows[1].unknown);

  // 1.20: old names, and extra cells in the <unknown> row.
  auto old = parseTopTable(
      "NAME     CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%   \n"
      "node-a   1500m        37%    1536Mi          18%       \n"
      "node-c   <unknown>                           <unknown>      <unknown>   <unknown>   \n");
  EXPECT_EQ(old.header[2], "CPU(%)");
  EXPECT_EQ(old.raw_header[2], "CPU%");
  EXPECT_EQ(*parsePercent(old.rows[0].at("MEMORY(%)")), 18);
  EXPECT_TRUE(old.rows[1].unknown);

  EXPECT_THROW(parseTopTable("NAME CPU(cores)\nx 1m 2m\n"), std::runtime_error);
}

TEST(TopOutputParser, Cells) {
  EXPECT_EQ(parseCpuMilli("13m"), 13);
  EXPECT_FALSE(parseCpuMilli("-3m"));
  EXPECT_FALSE(parseCpuMilli("13Mi"));
  EXPECT_EQ(parseMemMi("0Mi"), 0);
  EXPECT_FALSE(parseMemMi("12Ki"));
  EXPECT_EQ(parsePercent("100%"), 100);
}

TEST(Quantity, Suffixes) {
  EXPECT_DOUBLE_EQ(static_cast<double>(*parseQuantity("250001n")), 0.000250001);
  EXPECT_DOUBLE_EQ(static_cast<double>(*parseQuantity("910m")), 0.91);
  EXPECT_DOUBLE_EQ(static_cast<double>(*parseQuantity("2")), 2.0);
  EXPECT_DOUBLE_EQ(static_cast<double>(*parseQuantity("1536Ki")), 1572864.0);
  EXPECT_DOUBLE_EQ(static_cast<double>(*parseQuantity("20Mi")), 20971520.0);
  EXPECT_DOUBLE_EQ(static_cast<double>(*parseQuantity("1G")), 1e9);
  EXPECT_FALSE(parseQuantity("abc"));
  EXPECT_FALSE(parseQuantity(""));
}

TEST(Tolerances, CpuMemoryPercent) {
  EXPECT_TRUE(cpuClose(100, 109));
  EXPECT_FALSE(cpuClose(100, 120));
  EXPECT_TRUE(cpuClose(3, 0));
  EXPECT_FALSE(cpuClose(4, 0));
  EXPECT_TRUE(memClose(1000, 1000 * kMi + 5));
  EXPECT_FALSE(memClose(1002, 1000 * kMi));
  EXPECT_TRUE(percentConsistent(41, 1619, 3920));
  EXPECT_FALSE(percentConsistent(45, 1619, 3920));
}

TEST(Truth, Parses) {
  auto t = parseTruth(R"({"nodes":[{"name":"node-0","fault":"none","cpu_millicores":10,"memory_bytes":5,
    "allocatable_cpu_millicores":3920,"allocatable_memory_bytes":7,"labels":{"a":"b"}}],
    "pods":[{"namespace":"ns","name":"p","node":"node-0","phase":"Running","labels":{"app":"x"},
    "cpu_millicores":3,"memory_bytes":4,"containers":[{"name":"main","cpu_millicores":3,"memory_bytes":4,"restart_count":1}]}]})");
  ASSERT_NE(t.node("node-0"), nullptr);
  EXPECT_EQ(t.node("node-0")->allocatable_cpu_m, 3920);
  ASSERT_NE(t.pod("ns", "p"), nullptr);
  EXPECT_EQ(t.pod("ns", "p")->containers.at(0).restart_count, 1);
  EXPECT_EQ(t.pod("ns", "p")->labels.at("app"), "x");
}

}  // namespace
}  // namespace kmetrics::e2e
