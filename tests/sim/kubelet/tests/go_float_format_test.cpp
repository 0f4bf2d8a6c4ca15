#include "kubelet/go_float_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kmetrics::sim {
namespace {

std::string fmt(double v) {
  std::string s;
  appendPromFloat(s, v);
  return s;
}

// Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints (and the Prometheus
// client's special cases for 0, 1, -1, NaN, ±Inf).
TEST(GoFloatFormat, MatchesGoShortestG) {
  EXPECT_EQ(fmt(4.710169), "4.710169");
  EXPECT_EQ(fmt(1.253376e+07), "1.253376e+07");
  EXPECT_EQ(fmt(10), "10");
  EXPECT_EQ(fmt(1.6243962483020916e+09), "1.6243962483020916e+09");
  EXPECT_EQ(fmt(357.35491), "357.35491");
  EXPECT_EQ(fmt(1616273408), "1.616273408e+09");
  EXPECT_EQ(fmt(1633252712), "1.633252712e+09");
  EXPECT_EQ(fmt(12627968), "1.2627968e+07");
  EXPECT_EQ(fmt(999999), "999999");
  EXPECT_EQ(fmt(1000000), "1e+06");
  EXPECT_EQ(fmt(123456.7), "123456.7");
  EXPECT_EQ(fmt(0.0001), "0.0001");
  EXPECT_EQ(fmt(0.00001), "1e-05");
  EXPECT_EQ(fmt(0.000123), "0.000123");
  EXPECT_EQ(fmt(2.5e-07), "2.5e-07");
  EXPECT_EQ(fmt(0.1), "0.1");
  EXPECT_EQ(fmt(1.5), "1.5");
  EXPECT_EQ(fmt(-2.5), "-2.5");
  EXPECT_EQ(fmt(-1234567), "-1.234567e+06");
  EXPECT_EQ(fmt(1e21), "1e+21");
  EXPECT_EQ(fmt(1e100), "1e+100");
  EXPECT_EQ(fmt(5e-324), "5e-324");
  EXPECT_EQ(fmt(1.7976931348623157e+308), "1.7976931348623157e+308");
  EXPECT_EQ(fmt(3600.123456789), "3600.123456789");
}

TEST(GoFloatFormat, PrometheusSpecialCases) {
  EXPECT_EQ(fmt(0), "0");
  EXPECT_EQ(fmt(-0.0), "0");
  EXPECT_EQ(fmt(1), "1");
  EXPECT_EQ(fmt(-1), "-1");
  EXPECT_EQ(fmt(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(fmt(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(fmt(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(GoFloatFormat, RoundTrips) {
  for (double v : {0.3, 1.0 / 3, 2.0 / 3 * 1e9, 123.456e-10, 9007199254740993.0, 4096.0 * 12345}) {
    EXPECT_EQ(std::stod(fmt(v)), v) << fmt(v);
  }
}

}  // namespace
}  // namespace kmetrics::sim
