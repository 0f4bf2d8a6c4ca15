// Cases mirror Go's time package tests (parseDurationTests, durationTests) so behaviour matches exactly.
#include "config/duration.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace kmetrics::config {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

struct ParseCase {
  const char* in;
  Duration want;
};

TEST(DurationParse, GoValidCases) {
  const ParseCase cases[] = {
      {"0", Duration{0}},
      {"5s", seconds(5)},
      {"30s", seconds(30)},
      {"1478s", seconds(1478)},
      {"-5s", -seconds(5)},
      {"+5s", seconds(5)},
      {"-0", Duration{0}},
      {"+0", Duration{0}},
      {"5.0s", seconds(5)},
      {"5.6s", milliseconds(5600)},
      {"5.s", seconds(5)},
      {".5s", milliseconds(500)},
      {"1.0s", seconds(1)},
      {"1.00s", seconds(1)},
      {"1.004s", milliseconds(1004)},
      {"1.0040s", milliseconds(1004)},
      {"100.00100s", milliseconds(100001)},
      {"10ns", nanoseconds(10)},
      {"11us", microseconds(11)},
      {"12\xC2\xB5s", microseconds(12)},  // U+00B5 micro sign
      {"12\xCE\xBCs", microseconds(12)},  // U+03BC greek mu
      {"13ms", milliseconds(13)},
      {"14s", seconds(14)},
      {"15m", minutes(15)},
      {"16h", hours(16)},
      {"3h30m", hours(3) + minutes(30)},
      {"10.5s4m", minutes(4) + milliseconds(10500)},
      {"-2m3.4s", -(minutes(2) + milliseconds(3400))},
      {"1h2m3s4ms5us6ns", hours(1) + minutes(2) + seconds(3) + milliseconds(4) + microseconds(5) + nanoseconds(6)},
      {"39h9m14.425s", hours(39) + minutes(9) + milliseconds(14425)},
      {"52763797000ns", nanoseconds(52763797000)},
      {"0.3333333333333333333h", minutes(20)},
      {"9007199254740993ns", nanoseconds((1LL << 53) + 1)},
      {"9223372036854775807ns", nanoseconds(LLONG_MAX)},
      {"9223372036854775.807us", nanoseconds(LLONG_MAX)},
      {"9223372036s854ms775us807ns", nanoseconds(LLONG_MAX)},
      {"-9223372036854775808ns", nanoseconds(LLONG_MIN)},
      {"-9223372036854775.808us", nanoseconds(LLONG_MIN)},
      {"-9223372036s854ms775us808ns", nanoseconds(LLONG_MIN)},
      {"-2562047h47m16.854775808s", nanoseconds(LLONG_MIN)},
      {"0.100000000000000000000h", minutes(6)},
      {"0.830103483285477580700h", minutes(49) + seconds(48) + nanoseconds(372539827)},
      // Values used by metrics-server deployments and the metrics API.
      {"15s", seconds(15)},
      {"1m0s", minutes(1)},
      {"1h2m3.5s", hours(1) + minutes(2) + milliseconds(3500)},
      {"500ms", milliseconds(500)},
      {"11.069s", milliseconds(11069)},
  };
  for (const auto& c : cases) {
    DurationParse p = parse_go_duration(c.in);
    EXPECT_TRUE(p.ok()) << c.in << ": " << p.error;
    EXPECT_EQ(p.value.count(), c.want.count()) << c.in;
  }
}

struct ErrorCase {
  const char* in;
  const char* message;
};

TEST(DurationParse, GoErrorCases) {
  const ErrorCase cases[] = {
      {"", "time: invalid duration \"\""},
      {"3", "time: missing unit in duration \"3\""},
      {"-", "time: invalid duration \"-\""},
      {"s", "time: invalid duration \"s\""},
      {".", "time: invalid duration \".\""},
      {"-.", "time: invalid duration \"-.\""},
      {".s", "time: invalid duration \".s\""},
      {"+.s", "time: invalid duration \"+.s\""},
      {"1d", "time: unknown unit \"d\" in duration \"1d\""},
      {"1.5", "time: missing unit in duration \"1.5\""},
      {"15 s", "time: unknown unit \" s\" in duration \"15 s\""},
      {"1S", "time: unknown unit \"S\" in duration \"1S\""},
      {"9223372036854775810ns", "time: invalid duration \"9223372036854775810ns\""},
      {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
      {"-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""},
      {"9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""},
      {"9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\""},
      {"3000000h", "time: invalid duration \"3000000h\""},
      {"abc", "time: invalid duration \"abc\""},
      {"1h-5m", "time: unknown unit \"h-\" in duration \"1h-5m\""},
  };
  for (const auto& c : cases) {
    DurationParse p = parse_go_duration(c.in);
    EXPECT_FALSE(p.ok()) << c.in;
    EXPECT_EQ(p.error, c.message) << c.in;
  }
}

struct FormatCase {
  const char* want;
  Duration in;
};

TEST(DurationFormat, GoCases) {
  const FormatCase cases[] = {
      {"0s", Duration{0}},
      {"1ns", nanoseconds(1)},
      {"1.1\xC2\xB5s", nanoseconds(1100)},
      {"2.2ms", microseconds(2200)},
      {"3.3s", milliseconds(3300)},
      {"4m5s", minutes(4) + seconds(5)},
      {"4m5.001s", minutes(4) + milliseconds(5001)},
      {"5h6m7.001s", hours(5) + minutes(6) + milliseconds(7001)},
      {"8m0.000000001s", minutes(8) + nanoseconds(1)},
      {"2562047h47m16.854775807s", nanoseconds(LLONG_MAX)},
      {"-2562047h47m16.854775808s", nanoseconds(LLONG_MIN)},
      // metrics.k8s.io window values and common flag values.
      {"11.069s", milliseconds(11069)},
      {"1m0s", minutes(1)},
      {"1h0m0s", hours(1)},
      {"1\xC2\xB5s", microseconds(1)},
      {"15s", seconds(15)},
      {"10s", seconds(10)},
      {"500ms", milliseconds(500)},
      {"999ns", nanoseconds(999)},
      {"1.000001ms", nanoseconds(1000001)},
      {"-1.5s", -milliseconds(1500)},
      {"-1ns", nanoseconds(-1)},
      {"1h2m3.5s", hours(1) + minutes(2) + milliseconds(3500)},
  };
  for (const auto& c : cases) EXPECT_EQ(format_go_duration(c.in), c.want);
}

TEST(DurationFormat, RoundTrips) {
  for (long long ns : {0LL, 1LL, 999LL, 1000LL, 1500LL, 999999LL, 1000000LL, 1000000000LL, 59999999999LL,
                       60000000000LL, 3600000000000LL, 3723500000000LL, 11069000000LL, -42LL, LLONG_MAX, LLONG_MIN}) {
    std::string text = format_go_duration(nanoseconds(ns));
    DurationParse p = parse_go_duration(text);
    ASSERT_TRUE(p.ok()) << text << ": " << p.error;
    EXPECT_EQ(p.value.count(), ns) << text;
  }
}

}  // namespace
}  // namespace kmetrics::config
