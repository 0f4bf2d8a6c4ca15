#include "decode/prometheus_text_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kmetrics::kubelet {
namespace {

std::vector<std::string> names(std::string_view body) {
  PrometheusTextParser p;
  p.reset(body);
  PromSample s;
  std::vector<std::string> out;
  while (p.next(s) == PrometheusTextParser::Result::kSample) out.emplace_back(s.name);
  return out;
}

TEST(PrometheusTextParser, SkipsCommentsAndBlankLines) {
  EXPECT_EQ(names("# HELP a b\n# TYPE a gauge\n#x\n\n  \t\n  # indented comment\na 1\nb{} 2 3\n"),
            (std::vector<std::string>{"a", "b"}));
}

TEST(PrometheusTextParser, SampleFields) {
  PrometheusTextParser p;
  p.reset("\nm{a=\"1\",b=\"x\\\"y\"} 2.5 -7\n");
  PromSample s;
  ASSERT_EQ(p.next(s), PrometheusTextParser::Result::kSample);
  EXPECT_EQ(s.name, "m");
  ASSERT_EQ(s.label_count, 2u);
  EXPECT_EQ(s.labels[0].name, "a");
  EXPECT_EQ(s.labels[0].raw_value, "1");
  EXPECT_FALSE(s.labels[0].escaped);
  EXPECT_EQ(s.labels[1].raw_value, "x\\\"y");
  EXPECT_TRUE(s.labels[1].escaped);
  EXPECT_EQ(s.value, 2.5);
  EXPECT_TRUE(s.has_timestamp);
  EXPECT_EQ(s.timestamp_ms, -7);
  EXPECT_EQ(s.line, 2u);
  EXPECT_EQ(s.line_offset, 1u);
  ASSERT_NE(s.find_label("b"), nullptr);
  EXPECT_EQ(s.find_label("c"), nullptr);
  EXPECT_EQ(p.next(s), PrometheusTextParser::Result::kEnd);
}

TEST(PrometheusTextParser, Unescape) {
  std::string out;
  unescape_label_value(R"(a\\b\"c\nd\te\)", out);
  EXPECT_EQ(out, "a\\b\"c\nd\\te\\");
}

// The same-name shortcut must not take a longer name, or a name continued by another name byte, for
// the previous one.
TEST(PrometheusTextParser, RepeatedNames) {
  EXPECT_EQ(names("m 1\nm 2\nmx 3\nm{} 4\nm\t5\nm_ 6\nm: 7\nm 8\n"),
            (std::vector<std::string>{"m", "m", "mx", "m", "m", "m_", "m:", "m"}));
}

TEST(PrometheusTextParser, NumberForms) {
  PrometheusTextParser p;
  p.reset("m 1.5e+09 -12\nm -0.25\t7\nm +3 +4\nm NaN\nm 1.7957937859972782e+09 9223372036854775807\n");
  PromSample s;
  ASSERT_EQ(p.next(s), PrometheusTextParser::Result::kSample);
  EXPECT_EQ(s.value, 1.5e9);
  EXPECT_TRUE(s.has_timestamp);
  EXPECT_EQ(s.timestamp_ms, -12);
  ASSERT_EQ(p.next(s), PrometheusTextParser::Result::kSample);
  EXPECT_EQ(s.value, -0.25);
  EXPECT_EQ(s.timestamp_ms, 7);
  ASSERT_EQ(p.next(s), PrometheusTextParser::Result::kSample);
  EXPECT_EQ(s.value, 3.0);
  EXPECT_EQ(s.timestamp_ms, 4);
  ASSERT_EQ(p.next(s), PrometheusTextParser::Result::kSample);
  EXPECT_TRUE(s.value != s.value);
  EXPECT_FALSE(s.has_timestamp);
  ASSERT_EQ(p.next(s), PrometheusTextParser::Result::kSample);
  EXPECT_EQ(s.value, 1.7957937859972782e+09);
  EXPECT_EQ(s.timestamp_ms, INT64_MAX);
  EXPECT_EQ(p.next(s), PrometheusTextParser::Result::kEnd);
}

TEST(PrometheusTextParser, Errors) {
  using namespace std::string_view_literals;
  struct Case {
    std::string_view body;
    std::size_t line;
    const char* what;
  };
  const Case cases[] = {
      {"1abc 1\n"sv, 1, "invalid metric name"},
      {"ok 1\nm{ 1\n"sv, 2, "invalid label name"},
      {"m{a=\"1\" 1\n"sv, 1, "expected ',' or '}'"},
      {"m{a=\"1\n"sv, 1, "unterminated label value"},
      {"m{a=\"1\\\"}\n"sv, 1, "unterminated label value"},
      {"m{a=\"1\\\n"sv, 1, "unterminated label value"},       // backslash, no quote after it
      {"m{a=\"12345678\\\n"sv, 1, "unterminated label value"},  // same past the 8-byte scan
      {"m{a=\"1\\\"\\\n"sv, 1, "unterminated label set"},     // a quote after: the escape walk decides
      {"m{a=\"12345678\"} 1\nm{a=\"12345678\\\"\"} 1.5x\n"sv, 2, "invalid sample value"},
      {"m 1\nm 1 12x\n"sv, 2, "invalid timestamp"},
      {"m 1\nm 1\nmm 1\nm: 1\nm-1 1\n"sv, 5, "invalid character in metric name"},
      {"m{a 1\n"sv, 1, "expected '='"},
      {"m{a=1} 1\n"sv, 1, "expected '\"'"},
      {"m{a=\"1\"\n"sv, 1, "unterminated label set"},
      {"m\n"sv, 1, "missing sample value"},
      {"m{}\n"sv, 1, "missing sample value"},
      {"m one\n"sv, 1, "invalid sample value"},
      {"m 1 2.5\n"sv, 1, "invalid timestamp"},
      {"m 1 2 3\n"sv, 1, "unexpected text after timestamp"},
      {"m-x 1\n"sv, 1, "invalid character in metric name"},
      {"a 1\r\nb 2\r\n\x00 3"sv, 3, "invalid metric name"},
  };
  for (const Case& c : cases) {
    PrometheusTextParser p;
    p.reset(c.body);
    PromSample s;
    PrometheusTextParser::Result r;
    while ((r = p.next(s)) == PrometheusTextParser::Result::kSample) {
    }
    ASSERT_EQ(r, PrometheusTextParser::Result::kError) << c.body;
    EXPECT_EQ(p.error().line, c.line) << c.body;
    EXPECT_NE(p.error().message.find(c.what), std::string::npos) << p.error().message;
    EXPECT_EQ(p.next(s), PrometheusTextParser::Result::kError);  // sticky
  }
}

}  // namespace
}  // namespace kmetrics::kubelet
