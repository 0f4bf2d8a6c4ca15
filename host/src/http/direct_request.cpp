// HttpClient::request: one request with a fully read body over a pooled DirectConnection (every
// scrape of a kubelet goes through here). Streaming responses (watches) use open() and Poco.

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "http/header_name.hpp"
#include "http/http_client.hpp"
#include "http/response_parser.hpp"
#include "http/url_parts.hpp"

namespace kmetrics::http {

namespace {

constexpr size_t kReadChunk = 16 * 1024;  // one TLS record

bool has_header(std::span<const HeaderView> headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const HeaderView& h) { return equals_ci(h.name, name); });
}

// The request head and body as one buffer: one write per request.
void build_request(std::string& out, const Request& req, const UrlParts& url, const std::string& user_agent,
                   const std::string& token) {
  out.clear();
  out.append(req.method).append(" ").append(url.target).append(" HTTP/1.1\r\nHost: ").append(url.host_header());
  out.append("\r\n");
  if (!has_header(req.headers, "User-Agent")) out.append("User-Agent: ").append(user_agent).append("\r\n");
  for (const auto& h : req.headers) {
    // Framing is ours; the profile's credentials win over a caller's.
    if (equals_ci(h.name, "Host") || equals_ci(h.name, "Content-Length") || equals_ci(h.name, "Connection") ||
        (!token.empty() && equals_ci(h.name, "Authorization"))) {
      continue;
    }
    out.append(h.name).append(": ").append(h.value).append("\r\n");
  }
  if (!token.empty()) out.append("Authorization: Bearer ").append(token).append("\r\n");
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    out.append("Content-Length: ").append(std::to_string(req.body.size())).append("\r\n");
  }
  out.append("\r\n").append(req.body);
}

}  // namespace

void HttpClient::request(const Request& req, const std::function<void(const Response&)>& on_response) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  const auto start = Clock::now();
  const std::string what = std::string(req.method) + " " + std::string(req.url);
  const ProfileState& prof = profile(req.profile);

  UrlParts url;
  try {
    url = parse_url(req.url);
  } catch (const std::invalid_argument& e) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    throw HttpError(ErrorKind::invalid_argument, what + ": " + e.what());
  }
  if (url.scheme == "https" && prof.settings.force_plain_http) url.scheme = "http";
  SSL_CTX* tls = nullptr;
  if (url.scheme == "https") {
    if (!prof.context) {
      errors_.fetch_add(1, std::memory_order_relaxed);
      throw HttpError(ErrorKind::tls, what + ": the profile has no TLS context");
    }
    tls = prof.context->sslContext();
  }
  const std::string key = std::to_string(static_cast<int>(req.profile)) + "|" + url.scheme + "|" + url.host + "|" +
                          std::to_string(url.port);
  const bool idempotent = req.method == "GET" || req.method == "HEAD";
  const RequestBufferPool::Lease buffers = buffers_.take();
  std::string& wire = buffers->wire;
  std::string& body = buffers->body;
  build_request(wire, req, url, options_.user_agent, prof.settings.token ? prof.settings.token->token() : "");

  std::optional<ResponseParser> parser;
  for (int attempt = 0;; ++attempt) {  // at most two attempts: the retry is for stale connections
    body.clear();
    parser.emplace(what, body, options_.max_body_bytes, req.method == "HEAD");
    auto conn = direct_pool_.acquire(key);
    const bool reused = conn != nullptr;
    bool connecting = false;
    Clock::duration connect_limit{};
    try {
      auto now = Clock::now();
      if (now >= req.deadline) throw IoFailure{ErrorKind::timeout, ""};
      if (reused) {
        reused_.fetch_add(1, std::memory_order_relaxed);
      } else {
        connect_limit = std::min<Clock::duration>(req.deadline - now, options_.connect_timeout);
        connecting = true;
        conn = DirectConnection::open(url.host, url.port, tls, now + connect_limit);
        connecting = false;
        opened_.fetch_add(1, std::memory_order_relaxed);
      }
      conn->write_all(wire, req.deadline);
      char buf[kReadChunk];
      bool leftover = false;
      while (!parser->complete()) {  // bounded by the deadline and the body limit
        size_t n = conn->read_some(buf, sizeof buf, req.deadline);
        if (n == 0) {
          parser->finish_at_eof();
          leftover = true;  // closed: not reusable
          break;
        }
        leftover = parser->feed(std::string_view(buf, n)) < n;
      }
      if (parser->keep_alive() && !leftover) {
        conn->idle();
        direct_pool_.release(key, std::move(conn));
      }
      break;
    } catch (...) {
      // Classify, then retry once on a fresh connection if a reused one turned out dead before any
      // response byte (the peer closed it while idle).
      ErrorKind kind = ErrorKind::io;
      std::string message;
      try {
        throw;
      } catch (const IoFailure& f) {
        kind = f.kind;
        message = what + ": " + f.reason;
      } catch (const HttpError& e) {
        kind = e.kind();
        message = e.what();
      } catch (const std::exception& e) {
        message = what + ": " + e.what();
      }
      const bool retry = reused && attempt == 0 && idempotent && !parser->received_anything() &&
                         kind != ErrorKind::timeout && kind != ErrorKind::too_large && Clock::now() < req.deadline;
      if (retry) {
        retries_.fetch_add(1, std::memory_order_relaxed);
        continue;  // the dead connection closes here
      }
      errors_.fetch_add(1, std::memory_order_relaxed);
      if (kind == ErrorKind::timeout) {
        if (connecting && Clock::now() < req.deadline) {
          throw HttpError(kind, what + ": connect timeout after " + format_duration(connect_limit));
        }
        throw HttpError(kind, what + ": timeout after " + format_duration(req.deadline - start));
      }
      throw HttpError(kind, message);
    }
  }
  Response resp;
  resp.status = parser->status();
  resp.headers = &parser->headers();
  resp.body = body;
  on_response(resp);  // its exceptions propagate unchanged
}

}  // namespace kmetrics::http
