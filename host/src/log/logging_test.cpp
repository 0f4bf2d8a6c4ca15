#include "log/logging.hpp"

#include <gtest/gtest.h>

namespace kmetrics {
namespace {

TEST(Logging, VerbosityMapsToKlogLevels) {
  EXPECT_EQ(levelForVerbosity(0), spdlog::level::info);
  EXPECT_EQ(levelForVerbosity(1), spdlog::level::info);
  EXPECT_EQ(levelForVerbosity(2), spdlog::level::debug);
  EXPECT_EQ(levelForVerbosity(4), spdlog::level::trace);
  EXPECT_EQ(levelForVerbosity(10), spdlog::level::trace);
}

TEST(Logging, JsonEscapeHandlesQuotesControlAndBackslash) {
  EXPECT_EQ(jsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
  EXPECT_EQ(jsonEscape("plain"), "plain");
}

TEST(Logging, ConfigureSetsDefaultLoggerLevel) {
  configureLogging({LogFormat::kJson, 4});
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::trace);
  configureLogging({LogFormat::kText, 0});
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::info);
}

}  // namespace
}  // namespace kmetrics
