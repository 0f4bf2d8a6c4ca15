#include "store/rate.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "store/store_test_support.hpp"

namespace kmetrics {
namespace {

using testing::kCoreSecond;
using testing::kT0;

constexpr int64_t kMs = 1'000'000;

// metrics-server types_test "get resource usage successfully".
TEST(ComputeUsage, RateOverWindow) {
  Usage u;
  ASSERT_EQ(compute_usage(testing::point(kT0, kT0 + 20 * kMs, 500, 600), testing::point(kT0, kT0 + 10 * kMs, 300, 400), u),
            RateError::kNone);
  EXPECT_EQ(u.cpu_nanocores, 20000u);  // 200 ns of CPU over 10 ms
  EXPECT_EQ(u.memory_bytes, 600u);
  EXPECT_EQ(u.timestamp, kT0 + 20 * kMs);
  EXPECT_EQ(u.window_ns, 10 * kMs);
}

TEST(ComputeUsage, StartTimeDecreaseIsAnError) {
  Usage u;
  EXPECT_EQ(compute_usage(testing::point(kT0, kT0 + 20 * kMs, 500, 600),
                          testing::point(kT0 + 20 * kMs, kT0 + 10 * kMs, 300, 400), u),
            RateError::kStartTimeDecreased);
}

TEST(ComputeUsage, CpuDecreaseIsAnError) {
  Usage u;
  EXPECT_EQ(compute_usage(testing::point(kT0, kT0 + 20 * kMs, 100, 600), testing::point(kT0, kT0 + 10 * kMs, 300, 400), u),
            RateError::kCpuDecreased);
}

TEST(ComputeUsage, EmptyOrNegativeWindowIsAnErrorNotADivisionByZero) {
  Usage u;
  EXPECT_EQ(compute_usage(testing::point(kT0, kT0, 500, 1), testing::point(kT0, kT0, 300, 1), u), RateError::kEmptyWindow);
  EXPECT_EQ(compute_usage(testing::point(0, INT64_MIN, 500, 1), testing::point(0, INT64_MAX, 300, 1), u),
            RateError::kEmptyWindow);
}

TEST(ComputeUsage, TruncatesTowardZeroLikeGo) {
  // 1 core-second over 3 s = 333333333.33 nanocores -> 333333333.
  EXPECT_EQ(cpu_rate_nanocores(kCoreSecond, 3 * 1'000'000'000LL), 333333333u);
  // Fractional window: 1 core-second over 11.069 s.
  EXPECT_EQ(cpu_rate_nanocores(kCoreSecond, 11'069'000'000LL), 90342397u);
}

TEST(ComputeUsage, LargeUint64ValuesStayExact) {
  Usage u;
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  // Counter near the top of uint64: the delta, not the absolute value, is converted to double.
  ASSERT_EQ(compute_usage(testing::point(0, kT0 + 10'000'000'000LL, max, max),
                          testing::point(0, kT0, max - 10 * kCoreSecond, 1), u),
            RateError::kNone);
  EXPECT_EQ(u.cpu_nanocores, kCoreSecond);
  EXPECT_EQ(u.memory_bytes, max);
  // Memory above MaxInt64 is kept as is (the API layer decides how to print it).
  ASSERT_EQ(compute_usage(testing::point(0, kT0 + 1, 0, uint64_t{INT64_MAX} + 10), testing::point(0, kT0, 0, 0), u),
            RateError::kNone);
  EXPECT_EQ(u.memory_bytes, 9223372036854775817ull);
}

TEST(ComputeUsage, RateBeyondUint64Saturates) {
  // Go's uint64(float64) is undefined here; we saturate rather than return garbage.
  EXPECT_EQ(cpu_rate_nanocores(std::numeric_limits<uint64_t>::max(), 1), std::numeric_limits<uint64_t>::max());
}

TEST(ComputeUsage, ErrorMessagesMatchMetricsServer) {
  EXPECT_STREQ(rate_error_message(RateError::kCpuDecreased), "unexpected decrease in cumulative CPU usage value");
  EXPECT_STREQ(rate_error_message(RateError::kStartTimeDecreased), "unexpected decrease in startTime of node/container");
}

}  // namespace
}  // namespace kmetrics
