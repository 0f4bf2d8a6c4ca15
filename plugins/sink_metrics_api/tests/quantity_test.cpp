#include "quantity.hpp"

#include <gtest/gtest.h>

namespace kmetrics::metrics_api {
namespace {

// The canonical forms from wire-formats.md §7 (apimachinery's CanonicalizeBytes).
TEST(Quantity, CpuNanocoresCanonicalDecimalSI) {
  EXPECT_EQ(cpuQuantity(12345678), "12345678n");
  EXPECT_EQ(cpuQuantity(5000000), "5m");
  EXPECT_EQ(cpuQuantity(100000), "100u");
  EXPECT_EQ(cpuQuantity(1200), "1200n");
  EXPECT_EQ(cpuQuantity(1000000000), "1");
  EXPECT_EQ(cpuQuantity(1500000000), "1500m");
  EXPECT_EQ(cpuQuantity(120000000000), "120");
  EXPECT_EQ(cpuQuantity(0), "0");
  EXPECT_EQ(cpuQuantity(138824473), "138824473n");
  EXPECT_EQ(cpuQuantity(250001), "250001n");
  EXPECT_EQ(cpuQuantity(10000000), "10m");
  EXPECT_EQ(cpuQuantity(1000), "1u");
  EXPECT_EQ(cpuQuantity(3000000000000), "3k");
}

TEST(Quantity, MemoryBytesCanonicalBinarySI) {
  EXPECT_EQ(memoryQuantity(1572864), "1536Ki");
  EXPECT_EQ(memoryQuantity(1048576000), "1000Mi");
  EXPECT_EQ(memoryQuantity(1000000), "1000000");
  EXPECT_EQ(memoryQuantity(512), "512");
  EXPECT_EQ(memoryQuantity(1024), "1Ki");
  EXPECT_EQ(memoryQuantity(2147483648), "2Gi");
  EXPECT_EQ(memoryQuantity(0), "0");
  EXPECT_EQ(memoryQuantity(12533760), "12240Ki");
  EXPECT_EQ(memoryQuantity(12533761), "12533761");
  EXPECT_EQ(memoryQuantity(3 * 1048576), "3Mi");
}

}  // namespace
}  // namespace kmetrics::metrics_api
