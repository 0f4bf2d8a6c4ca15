#include "json_writer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kmetrics::metrics_api {
namespace {

std::string encodedString(std::string_view s) {
  std::string out;
  JsonWriter(out).string(s);
  return out;
}

TEST(JsonWriter, EscapesLikeGoAndCopiesPlainRuns) {
  EXPECT_EQ(encodedString("plain-name.with_dots"), "\"plain-name.with_dots\"");
  EXPECT_EQ(encodedString(""), "\"\"");
  EXPECT_EQ(encodedString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(encodedString("<x>&y"), R"("\u003cx\u003e\u0026y")");
  EXPECT_EQ(encodedString(std::string("t\tn\nr\r\x01")), R"("t\tn\nr\r\u0001")");
  EXPECT_EQ(encodedString("\"start"), R"("\"start")");
  EXPECT_EQ(encodedString("end\\"), R"("end\\")");
  // Whatever the input, the output parses back to it.
  const std::string tricky = "k8s.io/app=\"web\" <1> & \\ \x1f é";
  EXPECT_EQ(nlohmann::json::parse(encodedString(tricky)).get<std::string>(), tricky);
}

}  // namespace
}  // namespace kmetrics::metrics_api
