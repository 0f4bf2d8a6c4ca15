#include "http/token_source.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <thread>

namespace kmetrics::http {
namespace {

using namespace std::chrono_literals;

std::string temp_path(const char* name) {
  return std::string(::testing::TempDir()) + "/" + name + std::to_string(::getpid());
}

void write(const std::string& path, const std::string& s) { std::ofstream(path, std::ios::trunc) << s; }

TEST(TokenSourceTest, FixedTokenIsTrimmed) { EXPECT_EQ(TokenSource::fixed(" abc\n")->token(), "abc"); }

TEST(TokenSourceTest, FileIsReadAndReReadOnlyAfterRecheckInterval) {
  auto path = temp_path("tok");
  write(path, "one\n");
  auto src = TokenSource::file(path, 200ms);
  EXPECT_EQ(src->token(), "one");
  write(path, "two-longer");
  EXPECT_EQ(src->token(), "one");  // not re-checked yet
  std::this_thread::sleep_for(250ms);
  EXPECT_EQ(src->token(), "two-longer");
  EXPECT_EQ(src->reads(), 2u);
  std::remove(path.c_str());
}

TEST(TokenSourceTest, FailedReReadKeepsLastGoodToken) {
  auto path = temp_path("tok2");
  write(path, "good");
  auto src = TokenSource::file(path, 0ms);
  std::remove(path.c_str());
  EXPECT_EQ(src->token(), "good");
  write(path, "   ");  // empty after trimming: rejected
  EXPECT_EQ(src->token(), "good");
  std::remove(path.c_str());
}

TEST(TokenSourceTest, MissingOrEmptyFileIsAnError) {
  try {
    TokenSource::file("/nonexistent/token");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "token file /nonexistent/token: No such file or directory");
  }
  auto path = temp_path("tok3");
  write(path, "\n");
  try {
    TokenSource::file(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "token file " + path + ": empty");
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace kmetrics::http
