#include "kubelet/http_request_parser.hpp"

#include <gtest/gtest.h>

namespace kmetrics::sim {
namespace {

TEST(HttpRequestParser, ParsesGetWithQueryAndHeaders) {
  const std::string raw =
      "GET /stats/summary?only_cpu_and_memory=true HTTP/1.1\r\nHost: x\r\nauthorization: Bearer abc\r\n\r\nGET /";
  HttpRequest req;
  size_t consumed = 0;
  ASSERT_EQ(parseHttpRequest(raw, req, consumed), ParseResult::kComplete);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/stats/summary");
  EXPECT_EQ(queryParam(req.query, "only_cpu_and_memory"), "true");
  EXPECT_EQ(queryParam(req.query, "missing"), "");
  EXPECT_EQ(req.authorization, "Bearer abc");
  EXPECT_TRUE(req.keep_alive);
  EXPECT_EQ(raw.substr(consumed), "GET /");
}

TEST(HttpRequestParser, IncompleteUntilBodyArrives) {
  HttpRequest req;
  size_t consumed = 0;
  EXPECT_EQ(parseHttpRequest("GET / HTTP/1.1\r\nHost: x\r\n", req, consumed), ParseResult::kIncomplete);
  const std::string post = "POST /stats/summary HTTP/1.1\r\nContent-Length: 4\r\n\r\n{}";
  EXPECT_EQ(parseHttpRequest(post, req, consumed), ParseResult::kIncomplete);
  EXPECT_EQ(parseHttpRequest(post + "{}", req, consumed), ParseResult::kComplete);
  EXPECT_EQ(consumed, post.size() + 2);
}

TEST(HttpRequestParser, ConnectionSemantics) {
  HttpRequest req;
  size_t consumed = 0;
  ASSERT_EQ(parseHttpRequest("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", req, consumed), ParseResult::kComplete);
  EXPECT_FALSE(req.keep_alive);
  ASSERT_EQ(parseHttpRequest("GET / HTTP/1.0\r\n\r\n", req, consumed), ParseResult::kComplete);
  EXPECT_FALSE(req.keep_alive);
  ASSERT_EQ(parseHttpRequest("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", req, consumed),
            ParseResult::kComplete);
  EXPECT_TRUE(req.keep_alive);
}

TEST(HttpRequestParser, RejectsBadAndOversized) {
  HttpRequest req;
  size_t consumed = 0;
  EXPECT_EQ(parseHttpRequest("GARBAGE\r\n\r\n", req, consumed), ParseResult::kBadRequest);
  EXPECT_EQ(parseHttpRequest("GET / HTTP/2.0\r\n\r\n", req, consumed), ParseResult::kBadRequest);
  EXPECT_EQ(parseHttpRequest("GET / HTTP/1.1\r\nNoColon\r\n\r\n", req, consumed), ParseResult::kBadRequest);
  EXPECT_EQ(parseHttpRequest(std::string(kMaxHeaderBytes + 10, 'a'), req, consumed), ParseResult::kHeadersTooLarge);
  EXPECT_EQ(parseHttpRequest("POST / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n", req, consumed),
            ParseResult::kBodyTooLarge);
  EXPECT_EQ(parseHttpRequest("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", req, consumed),
            ParseResult::kBadRequest);
}

}  // namespace
}  // namespace kmetrics::sim
