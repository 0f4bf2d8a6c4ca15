#include "cluster/quantity.hpp"

#include <gtest/gtest.h>

namespace kmetrics::cluster {
namespace {

TEST(QuantityTest, CpuMillicores) {
  EXPECT_EQ(parse_quantity_milli("100m"), 100);
  EXPECT_EQ(parse_quantity_milli("1"), 1000);
  EXPECT_EQ(parse_quantity_milli("1.5"), 1500);
  EXPECT_EQ(parse_quantity_milli("0.1"), 100);
  EXPECT_EQ(parse_quantity_milli(".5"), 500);
  EXPECT_EQ(parse_quantity_milli("2."), 2000);
  EXPECT_EQ(parse_quantity_milli("250000u"), 250);
  EXPECT_EQ(parse_quantity_milli("1n"), 1);  // rounds up, like MilliValue()
  EXPECT_EQ(parse_quantity_milli("1500000n"), 2);
  EXPECT_EQ(parse_quantity_milli("0"), 0);
  EXPECT_EQ(parse_quantity_milli("+3"), 3000);
  EXPECT_EQ(parse_quantity_milli("1e3"), 1000000);
  EXPECT_EQ(parse_quantity_milli("5e-3"), 5);
  EXPECT_EQ(parse_quantity_milli("1k"), 1000000);
}

TEST(QuantityTest, MemoryBytes) {
  EXPECT_EQ(parse_quantity_value("64Mi"), 64LL << 20);
  EXPECT_EQ(parse_quantity_value("1Ki"), 1024);
  EXPECT_EQ(parse_quantity_value("1.5Gi"), 1536LL << 20);
  EXPECT_EQ(parse_quantity_value("1G"), 1000000000);
  EXPECT_EQ(parse_quantity_value("128974848"), 128974848);
  EXPECT_EQ(parse_quantity_value("129e6"), 129000000);
  EXPECT_EQ(parse_quantity_value("129E6"), 129000000);
  EXPECT_EQ(parse_quantity_value("123Mi"), 128974848);
  EXPECT_EQ(parse_quantity_value("1E"), 1000000000000000000LL);  // exa, not an exponent
  EXPECT_EQ(parse_quantity_value("2Ti"), 2LL << 40);
  EXPECT_EQ(parse_quantity_value("1Ei"), 1LL << 60);
  EXPECT_EQ(parse_quantity_value("0.5"), 1);  // rounds up, like Value()
  EXPECT_EQ(parse_quantity_value("1500m"), 2);
  EXPECT_EQ(parse_quantity_value("-1500m"), -1);  // towards +infinity
  EXPECT_EQ(parse_quantity_value("0.000001Ki"), 1);
  EXPECT_EQ(parse_quantity_value("000064Mi"), 64LL << 20);
}

TEST(QuantityTest, Errors) {
  std::string err;
  EXPECT_FALSE(parse_quantity_value("", &err));
  EXPECT_EQ(err, "invalid quantity \"\": empty");
  EXPECT_FALSE(parse_quantity_value("1.2.3", &err));
  EXPECT_EQ(err, "invalid quantity \"1.2.3\": more than one decimal point");
  EXPECT_FALSE(parse_quantity_value("Mi", &err));
  EXPECT_EQ(err, "invalid quantity \"Mi\": no digits");
  EXPECT_FALSE(parse_quantity_value("12MB", &err));
  EXPECT_EQ(err, "invalid quantity \"12MB\": unknown suffix");
  EXPECT_FALSE(parse_quantity_value("1e", &err));
  EXPECT_FALSE(parse_quantity_value("1e+", &err));
  EXPECT_FALSE(parse_quantity_value("1ki", &err));
  EXPECT_FALSE(parse_quantity_value(" 1", &err));
  EXPECT_FALSE(parse_quantity_value("16Ei", &err));  // 2^64: out of int64 range
  EXPECT_EQ(err, "invalid quantity \"16Ei\": out of range");
  EXPECT_FALSE(parse_quantity_milli("10E", &err));  // 1e22 millis
}

}  // namespace
}  // namespace kmetrics::cluster
