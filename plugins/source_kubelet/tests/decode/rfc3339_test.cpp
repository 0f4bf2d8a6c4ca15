#include "decode/rfc3339.hpp"

#include <gtest/gtest.h>

namespace kmetrics::kubelet {
namespace {

int64_t parse_ok(const char* s) {
  int64_t ns = -1;
  EXPECT_EQ(parse_rfc3339_ns(s, ns), TimeParse::kOk) << s;
  return ns;
}

TEST(Rfc3339, WholeSecondsUtc) {
  EXPECT_EQ(parse_ok("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_ok("2021-10-03T09:36:49Z"), 1633253809LL * 1000000000);
  EXPECT_EQ(parse_ok("2024-02-29T23:59:59Z"), 1709251199LL * 1000000000);
  EXPECT_EQ(parse_ok("1969-12-31T23:59:59Z"), -1000000000LL);
}

TEST(Rfc3339, Fractions) {
  EXPECT_EQ(parse_ok("2021-10-03T09:36:49.72Z"), 1633253809720000000LL);
  EXPECT_EQ(parse_ok("2021-10-03T09:36:49.720Z"), 1633253809720000000LL);
  EXPECT_EQ(parse_ok("2021-10-03T09:36:49.000000001Z"), 1633253809000000001LL);
  EXPECT_EQ(parse_ok("2021-10-03T09:36:49.1234567891234Z"), 1633253809123456789LL);  // truncated
  EXPECT_EQ(parse_ok("2021-10-03T09:36:49,5Z"), 1633253809500000000LL);
}

TEST(Rfc3339, Offsets) {
  EXPECT_EQ(parse_ok("2021-10-03T11:36:49.72+02:00"), 1633253809720000000LL);
  EXPECT_EQ(parse_ok("2021-10-03T04:06:49-05:30"), 1633253809LL * 1000000000);
  EXPECT_EQ(parse_ok("1970-01-01T00:00:00+00:00"), 0);
}

TEST(Rfc3339, Rejects) {
  int64_t ns = 0;
  for (const char* s : {"", "2021-10-03", "2021-10-03T09:36:49", "2021-10-03t09:36:49Z",
                        "2021-10-03T09:36:49z", "2021-10-03 09:36:49Z", "2021-13-03T09:36:49Z",
                        "2021-00-03T09:36:49Z", "2021-02-29T09:36:49Z", "2021-04-31T09:36:49Z",
                        "2021-10-03T24:00:00Z", "2021-10-03T09:60:00Z", "2021-10-03T09:36:60Z",
                        "2021-10-03T09:36:49.Z", "2021-10-03T09:36:49+0200", "2021-10-03T09:36:49+24:00",
                        "2021-10-03T09:36:49Z ", "2021-1a-03T09:36:49Z", "+021-10-03T09:36:49Z",
                        "2021-10-03T09:36:49.5+02:00x"})
    EXPECT_EQ(parse_rfc3339_ns(s, ns), TimeParse::kSyntax) << s;
}

TEST(Rfc3339, OutOfInt64Range) {
  int64_t ns = 0;
  EXPECT_EQ(parse_rfc3339_ns("0001-01-01T00:00:00Z", ns), TimeParse::kOutOfRange);  // Go's zero time
  EXPECT_EQ(parse_rfc3339_ns("2300-01-01T00:00:00Z", ns), TimeParse::kOutOfRange);
  EXPECT_EQ(parse_rfc3339_ns("9999-12-31T23:59:59.999999999Z", ns), TimeParse::kOutOfRange);
  EXPECT_EQ(parse_ok("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
  EXPECT_EQ(parse_rfc3339_ns("2262-04-11T23:47:16.854775808Z", ns), TimeParse::kOutOfRange);
}

}  // namespace
}  // namespace kmetrics::kubelet
