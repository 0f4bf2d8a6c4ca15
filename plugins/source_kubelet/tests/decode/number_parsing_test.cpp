#include "decode/number_parsing.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace kmetrics::kubelet {
namespace {

TEST(ParsePromFloat, AcceptsGoForms) {
  double v = 0;
  ASSERT_TRUE(parse_prom_float("1.616273408e+09", v));
  EXPECT_EQ(v, 1616273408.0);
  ASSERT_TRUE(parse_prom_float("4.710169", v));
  EXPECT_EQ(v, 4.710169);
  ASSERT_TRUE(parse_prom_float("+1.5", v));
  EXPECT_EQ(v, 1.5);
  ASSERT_TRUE(parse_prom_float("-2E-3", v));
  EXPECT_EQ(v, -0.002);
  ASSERT_TRUE(parse_prom_float("10", v));
  EXPECT_EQ(v, 10.0);
  ASSERT_TRUE(parse_prom_float("+Inf", v));
  EXPECT_TRUE(std::isinf(v) && v > 0);
  ASSERT_TRUE(parse_prom_float("-Inf", v));
  EXPECT_TRUE(std::isinf(v) && v < 0);
  ASSERT_TRUE(parse_prom_float("NaN", v));
  EXPECT_TRUE(std::isnan(v));
  ASSERT_TRUE(parse_prom_float("1e999", v));  // overflow: kept as +Inf so the series is refused
  EXPECT_TRUE(std::isinf(v));
}

TEST(ParsePromFloat, RejectsGarbage) {
  double v = 0;
  for (const char* s : {"", "+", "-", "1.5x", "abc", "1 2", "nan(1)", "+-1", "0x", "1e", "--1"})
    EXPECT_FALSE(parse_prom_float(s, v)) << s;
}

// The exact fast path (≤19 digits, value ≤ 2^53, exponent within ±22) and the from_chars fallback
// must agree bit for bit with from_chars; these sit on either side of each limit.
TEST(ParsePromFloat, FastPathMatchesFromChars) {
  for (const char* s :
       {"0", "-0", "0.0", "3574.775662845", "1.48779008e+08", "2.6028032e+08", "1.7957937859972782e+09",
        "9007199254740992", "9007199254740993", "9007199254740991.5", "1234567890123456789",
        "12345678901234567890", "0.1", "0.3", "1e22", "1e23", "1e-22", "1e-23", "123e-25", "5e-324",
        "1.7976931348623157e308", "00000000000000000001.5", "1.00000000000000000001", "1E+0",
        "1e0001", "1e00001", "-2.5e-3", "4.9406564584124654e-324", "0.000000000000000000001"}) {
    double want = 0;
    const auto r = std::from_chars(s, s + std::strlen(s), want);
    ASSERT_EQ(r.ec, std::errc()) << s;
    double got = 0;
    ASSERT_TRUE(parse_prom_float(s, got)) << s;
    EXPECT_EQ(std::memcmp(&got, &want, sizeof got), 0) << s;
  }
  double v = 0;
  ASSERT_TRUE(parse_prom_float("-0", v));
  EXPECT_TRUE(std::signbit(v));
  for (const char* s : {"1.", ".5", "-.5", "1.e3", "1e+", "1e-", "1ee3", "1e3.5", "1-", "-"}) {
    double want = 0;
    const auto r = std::from_chars(s, s + std::strlen(s), want);
    const bool from_chars_ok = r.ec == std::errc() && r.ptr == s + std::strlen(s);
    double got = 0;
    EXPECT_EQ(parse_prom_float(s, got), from_chars_ok) << s;
    if (from_chars_ok) EXPECT_EQ(got, want) << s;
  }
}

TEST(ParseInt64, Bounds) {
  int64_t v = 0;
  ASSERT_TRUE(parse_int64("1633253809720", v));
  EXPECT_EQ(v, 1633253809720);
  ASSERT_TRUE(parse_int64("-62135596800000", v));
  EXPECT_EQ(v, -62135596800000);
  ASSERT_TRUE(parse_int64("+7", v));
  EXPECT_EQ(v, 7);
  ASSERT_TRUE(parse_int64("9223372036854775807", v));
  EXPECT_EQ(v, INT64_MAX);
  ASSERT_TRUE(parse_int64("-9223372036854775808", v));
  EXPECT_EQ(v, INT64_MIN);
  ASSERT_TRUE(parse_int64("999999999999999999", v));  // 18 digits: the fast path's limit
  EXPECT_EQ(v, 999999999999999999);
  ASSERT_TRUE(parse_int64("-0000000000000000000001", v));
  EXPECT_EQ(v, -1);
  EXPECT_FALSE(parse_int64("9223372036854775808", v));
  EXPECT_FALSE(parse_int64("-9223372036854775809", v));
  EXPECT_FALSE(parse_int64("+-1", v));
  for (const char* s : {"", "-", "+", "1.0", "1e3", "12a", " 1"}) EXPECT_FALSE(parse_int64(s, v)) << s;
}

TEST(Convert, SecondsToNanosLikeMetricsServer) {
  uint64_t u = 0;
  ASSERT_EQ(to_uint64_scaled(357.35491, 1e9, u), ConvertResult::kOk);
  EXPECT_EQ(u, 357354910000u);
  ASSERT_EQ(to_uint64_scaled(4.710169, 1e9, u), ConvertResult::kOk);
  EXPECT_EQ(u, 4710169000u);
  ASSERT_EQ(to_uint64_scaled(1.253376e+07, 1, u), ConvertResult::kOk);
  EXPECT_EQ(u, 12533760u);
  EXPECT_EQ(to_uint64_scaled(-0.5, 1, u), ConvertResult::kNegative);
  EXPECT_EQ(to_uint64_scaled(std::nan(""), 1, u), ConvertResult::kNonFinite);
  EXPECT_EQ(to_uint64_scaled(18446744073709551616.0, 1, u), ConvertResult::kOutOfRange);
  ASSERT_EQ(to_uint64_scaled(18446744073709549568.0, 1, u), ConvertResult::kOk);  // largest double < 2^64
  int64_t i = 0;
  ASSERT_EQ(seconds_to_int64_ns(1.633252712e+09, i), ConvertResult::kOk);
  EXPECT_EQ(i, 1633252712000000000);
  ASSERT_EQ(seconds_to_int64_ns(-6.7953645788713455e+09, i), ConvertResult::kOk);
  EXPECT_LT(i, 0);
  EXPECT_EQ(seconds_to_int64_ns(1e10, i), ConvertResult::kOutOfRange);
  EXPECT_TRUE(millis_to_ns(1633253809720, i));
  EXPECT_EQ(i, 1633253809720000000);
  EXPECT_FALSE(millis_to_ns(std::numeric_limits<int64_t>::max(), i));
}

}  // namespace
}  // namespace kmetrics::kubelet
