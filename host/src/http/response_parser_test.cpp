// ResponseParser and parse_url: framing, limits and malformed input, fed whole and byte by byte.
#include "http/response_parser.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "http/http_error.hpp"
#include "http/url_parts.hpp"

namespace kmetrics::http {
namespace {

constexpr const char* kWhat = "GET https://10.0.0.1:10250/metrics/resource";

struct Parsed {
  int status = 0;
  std::string body;
  bool keep_alive = false;
  size_t used = 0;
};

// Feeds `wire` in pieces of `step` bytes (0: all at once) until the response is complete; `eof`
// ends the stream after the last byte if the parser still wants more.
Parsed parse(const std::string& wire, size_t step = 0, bool eof = false, size_t max_body = 1 << 20,
             bool head_request = false) {
  Parsed out;
  ResponseParser p(kWhat, out.body, max_body, head_request);
  size_t pos = 0;
  while (pos < wire.size() && !p.complete()) {
    size_t n = step == 0 ? wire.size() - pos : std::min(step, wire.size() - pos);
    size_t used = p.feed(std::string_view(wire).substr(pos, n));
    out.used += used;
    pos += n;
    if (used < n) break;
  }
  if (!p.complete() && eof) p.finish_at_eof();
  EXPECT_TRUE(p.complete()) << wire;
  out.status = p.status();
  out.keep_alive = p.keep_alive();
  return out;
}

HttpError parse_error(const std::string& wire, size_t step = 0, bool eof = true, size_t max_body = 1 << 20) {
  try {
    parse(wire, step, eof, max_body);
  } catch (const HttpError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << wire;
  return HttpError(ErrorKind::io, "");
}

TEST(ResponseParser, ContentLengthBodyWholeAndByteByByte) {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";
  for (size_t step : {0, 1, 3, 17}) {
    Parsed r = parse(wire, step);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello world") << step;
    EXPECT_TRUE(r.keep_alive);
    EXPECT_EQ(r.used, wire.size());
  }
}

TEST(ResponseParser, HeadersAreKeptInOrderWithTrimmedValues) {
  std::string body;
  ResponseParser p(kWhat, body, 100);
  p.feed("HTTP/1.1 404 Not Found\r\nX-A:  one \r\nx-b:two\r\n  folded\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(p.complete());
  EXPECT_EQ(p.status(), 404);
  ASSERT_EQ(p.headers().size(), 3u);
  EXPECT_EQ(p.headers()[0], (std::pair<std::string, std::string>{"X-A", "one"}));
  EXPECT_EQ(p.headers()[1], (std::pair<std::string, std::string>{"x-b", "two folded"}));
}

TEST(ResponseParser, ChunkedWithExtensionsAndTrailers) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (size_t step : {0, 1, 2, 7}) {
    Parsed r = parse(wire, step);
    EXPECT_EQ(r.body, "hello 0123456789") << step;
    EXPECT_TRUE(r.keep_alive);
    EXPECT_EQ(r.used, wire.size());
  }
}

TEST(ResponseParser, InterimResponsesAreSkipped) {
  Parsed r = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "ok");
}

TEST(ResponseParser, CloseDelimitedBodyEndsAtEof) {
  for (size_t step : {0, 4}) {
    Parsed r = parse("HTTP/1.0 200 OK\r\n\r\nuntil the end", step, /*eof=*/true);
    EXPECT_EQ(r.body, "until the end");
    EXPECT_FALSE(r.keep_alive);
  }
}

TEST(ResponseParser, ConnectionHeaderDecidesReuse) {
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_TRUE(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").keep_alive);
}

TEST(ResponseParser, NoBodyFor204AndHead) {
  EXPECT_EQ(parse("HTTP/1.1 204 No Content\r\n\r\n").body, "");
  Parsed r = parse("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 0, false, 1 << 20, /*head_request=*/true);
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(r.keep_alive);
}

TEST(ResponseParser, BytesAfterTheResponseAreNotConsumed) {
  Parsed r = parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.used, std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").size());
}

TEST(ResponseParser, BodyLimitByContentLengthAndByGrowth) {
  HttpError e = parse_error("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 0, false, 10);
  EXPECT_EQ(e.kind(), ErrorKind::too_large);
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": body of 100 bytes exceeds the limit of 10 bytes");
  e = parse_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n01234567\r\n", 3, false,
                  10);
  EXPECT_EQ(e.kind(), ErrorKind::too_large);
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": body exceeds the limit of 10 bytes");
}

TEST(ResponseParser, EndOfStreamIsReportedWithProgress) {
  HttpError e = parse_error("");
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": connection closed before a response was received");
  e = parse_error("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhello world");
  EXPECT_EQ(e.kind(), ErrorKind::protocol);
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": connection closed after 11 of 1000 body bytes");
  e = parse_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": connection closed inside the chunked body after 3 body bytes");
  e = parse_error("HTTP/1.1 200 OK\r\nContent-");
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": malformed response: connection closed inside the response head");
}

TEST(ResponseParser, MalformedResponsesSayWhy) {
  struct Case {
    std::string wire;
    std::string message;
  } cases[] = {
      {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "not an HTTP/1.x status line: \"SSH-2.0-OpenSSH_9.2\""},
      {"HTTP/1.1 2x0 OK\r\n\r\n", "bad status code in \"HTTP/1.1 2x0 OK\""},
      {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line without a name: \"no colon here\""},
      {"HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n", "bad Content-Length \"12abc\""},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "bad Content-Length \"2\""},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size \"zz\""},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "chunk data longer than its declared size"},
  };
  for (const auto& c : cases) {
    for (size_t step : {0, 1}) {
      HttpError e = parse_error(c.wire, step);
      EXPECT_EQ(e.kind(), ErrorKind::protocol) << c.wire;
      EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": malformed response: " + c.message) << step;
    }
  }
}

TEST(ResponseParser, EndlessHeadIsBounded) {
  std::string wire = "HTTP/1.1 200 OK\r\n";
  while (wire.size() < ResponseParser::kMaxHeadBytes + 100) wire += "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  HttpError e = parse_error(wire, 1000, false);
  EXPECT_EQ(e.kind(), ErrorKind::too_large);
  EXPECT_EQ(std::string(e.what()), std::string(kWhat) + ": response head longer than 65536 bytes");
}

TEST(ParseUrl, SplitsHostPortAndTarget) {
  UrlParts u = parse_url("https://10.0.0.1:10250/metrics/resource?x=a%3Db#frag");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "10.0.0.1");
  EXPECT_EQ(u.port, 10250);
  EXPECT_EQ(u.target, "/metrics/resource?x=a%3Db");
  EXPECT_EQ(u.host_header(), "10.0.0.1:10250");

  u = parse_url("HTTP://[fd00::1]/");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "fd00::1");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.host_header(), "[fd00::1]");

  u = parse_url("https://node-1.example?q=1");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.target, "/?q=1");
  EXPECT_EQ(u.host_header(), "node-1.example");
}

TEST(ParseUrl, RejectsWhatItCannotSend) {
  const std::pair<const char*, const char*> cases[] = {
      {"not a url", "invalid URL: contains whitespace or control characters"},
      {"ftp://x/y", "URL must be absolute http:// or https://"},
      {"/relative/path", "URL must be absolute http:// or https://"},
      {"https://:443/", "URL must be absolute http:// or https:// with a host"},
      {"https://user:pw@host/", "invalid URL: user information in the URL is not supported"},
      {"https://host:99999/", "invalid URL: bad port \"99999\""},
      {"https://[::1/", "invalid URL: unterminated IPv6 address"},
  };
  for (const auto& [url, message] : cases) {
    try {
      parse_url(url);
      ADD_FAILURE() << url;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), message) << url;
    }
  }
}

}  // namespace
}  // namespace kmetrics::http
