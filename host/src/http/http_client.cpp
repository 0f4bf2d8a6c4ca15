#include "http/http_client.hpp"

#include <poll.h>

#include <algorithm>
#include <cstring>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>

#include "http/header_name.hpp"

namespace kmetrics::http {

namespace {

// Poco messages read "Net Exception: Connection refused"; keep the specific part, lower-cased first
// letter, as Go-style messages are.
std::string poco_reason(const Poco::Exception& e) {
  std::string msg = e.message().empty() ? std::string(e.name()) : e.message();
  if (!msg.empty() && std::isupper(static_cast<unsigned char>(msg[0])) &&
      (msg.size() < 2 || std::islower(static_cast<unsigned char>(msg[1])))) {
    msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  }
  return msg;
}

struct Translation {
  ErrorKind kind;
  std::string reason;
  bool before_response;  // safe to retry on a fresh connection (nothing was received)
};

// Classifies the exception in flight.
Translation classify() {
  try {
    throw;
  } catch (const HttpError& e) {
    return {e.kind(), e.what(), false};
  } catch (const Poco::TimeoutException&) {
    return {ErrorKind::timeout, "", false};
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return {ErrorKind::connect, "connection refused", false};
  } catch (const Poco::Net::HostNotFoundException& e) {
    return {ErrorKind::connect, "no such host: " + e.message(), false};
  } catch (const Poco::Net::NoAddressFoundException& e) {
    return {ErrorKind::connect, "no address for host: " + e.message(), false};
  } catch (const Poco::Net::CertificateValidationException& e) {
    return {ErrorKind::tls, "certificate verify failed: " + poco_reason(e), false};
  } catch (const Poco::Net::SSLException& e) {
    if (!last_verify_error().empty()) {
      return {ErrorKind::tls, "certificate verify failed: " + last_verify_error(), false};
    }
    return {ErrorKind::tls, "TLS error: " + poco_reason(e), true};
  } catch (const Poco::Net::NoMessageException&) {
    return {ErrorKind::protocol, "connection closed before a response was received", true};
  } catch (const Poco::Net::MessageException& e) {
    return {ErrorKind::protocol, "malformed response: " + poco_reason(e), false};
  } catch (const Poco::Net::ConnectionResetException&) {
    return {ErrorKind::io, "connection reset by peer", true};
  } catch (const Poco::Net::ConnectionAbortedException&) {
    return {ErrorKind::io, "connection aborted", true};
  } catch (const Poco::Net::NetException& e) {
    return {ErrorKind::io, poco_reason(e), true};
  } catch (const Poco::IOException& e) {
    return {ErrorKind::io, poco_reason(e), true};
  } catch (const Poco::Exception& e) {
    return {ErrorKind::io, poco_reason(e), false};
  } catch (const std::exception& e) {
    return {ErrorKind::io, e.what(), false};
  }
}

HttpError make_error(const std::string& what, const Translation& t, Clock::time_point start,
                     Clock::time_point deadline, std::chrono::milliseconds idle, bool idle_limited,
                     const Interrupter* interrupter) {
  if (interrupter != nullptr && interrupter->interrupted()) {
    return HttpError(ErrorKind::cancelled, what + ": cancelled");
  }
  if (t.kind == ErrorKind::timeout) {
    if (idle_limited) return HttpError(ErrorKind::timeout, what + ": no data for " + format_duration(idle));
    return HttpError(ErrorKind::timeout, what + ": timeout after " + format_duration(deadline - start));
  }
  // An HttpError we threw ourselves already carries its prefix.
  if (t.reason.rfind(what, 0) == 0) return HttpError(t.kind, t.reason);
  return HttpError(t.kind, what + ": " + t.reason);
}

Poco::Timespan to_timespan(Clock::duration d) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return Poco::Timespan(std::max<int64_t>(us, 1000));  // a zero timeout would mean "none"
}

}  // namespace

bool session_is_stale(Poco::Net::HTTPClientSession& session) {
  if (!session.connected()) return true;
  int fd = session.socket().impl()->sockfd();
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  // An idle HTTP/1.1 connection has nothing to read: readable means EOF, a TLS alert or junk.
  return ::poll(&p, 1, 0) != 0;
}

// ---------------------------------------------------------------------------------------------

ResponseStream::~ResponseStream() {
  if (interrupter_ != nullptr) interrupter_->detach();
  bool interrupted = interrupter_ != nullptr && interrupter_->interrupted();
  if (eof_ && !failed_ && !interrupted && session_ && response_.getKeepAlive() && owner_ != nullptr) {
    owner_->pool_.release(key_, std::move(session_));
  }
  // Otherwise session_ closes here (outside any lock).
}

std::string_view ResponseStream::header(std::string_view name) const {
  for (const auto& [n, v] : headers_) {
    if (equals_ci(n, name)) return v;
  }
  return {};
}

void ResponseStream::fail() {
  failed_ = true;
  if (owner_ != nullptr) owner_->errors_.fetch_add(1, std::memory_order_relaxed);
  Translation t = classify();
  throw make_error(what_, t, start_, deadline_, idle_timeout_, idle_limited_, interrupter_);
}

bool ResponseStream::fill() {
  if (eof_) return false;
  std::streambuf* sb = body_->rdbuf();
  if (sb->in_avail() > 0) return true;
  try {
    auto now = Clock::now();
    if (now >= deadline_) throw Poco::TimeoutException();
    auto left = deadline_ - now;
    idle_limited_ = idle_timeout_.count() > 0 && idle_timeout_ < left;
    session_->socket().setReceiveTimeout(to_timespan(idle_limited_ ? Clock::duration(idle_timeout_) : left));
    int c = sb->sgetc();  // blocks for at most the timeout set above
    if (c == std::char_traits<char>::eof()) {
      if (interrupter_ != nullptr && interrupter_->interrupted()) {
        throw HttpError(ErrorKind::cancelled, what_ + ": cancelled");
      }
      eof_ = true;
      return false;
    }
    return true;
  } catch (...) {
    fail();
  }
}

bool ResponseStream::read_line(std::string& line, size_t max_line) {
  line.clear();
  std::streambuf* sb = body_->rdbuf();
  for (;;) {  // bounded: every pass consumes at least one byte or returns, line length is capped
    if (!fill()) return !line.empty();
    std::streamsize n = sb->in_avail();
    for (std::streamsize i = 0; i < n; ++i) {
      int c = sb->sbumpc();  // buffered: no I/O
      if (c == '\n') return true;
      line.push_back(static_cast<char>(c));
    }
    if (line.size() > max_line) {
      failed_ = true;
      throw HttpError(ErrorKind::too_large, what_ + ": line longer than " + std::to_string(max_line) + " bytes");
    }
  }
}

void ResponseStream::read_all(std::string& out, size_t max_body) {
  if (response_.hasContentLength() && response_.getContentLength64() > 0 &&
      static_cast<uint64_t>(response_.getContentLength64()) > max_body) {
    failed_ = true;
    throw HttpError(ErrorKind::too_large, what_ + ": body of " + std::to_string(response_.getContentLength64()) +
                                              " bytes exceeds the limit of " + std::to_string(max_body) + " bytes");
  }
  if (response_.hasContentLength() && response_.getContentLength64() > 0) {
    out.reserve(out.size() + static_cast<size_t>(response_.getContentLength64()));
  }
  std::streambuf* sb = body_->rdbuf();
  const size_t start_size = out.size();
  for (;;) {  // bounded by max_body and the deadline
    if (!fill()) {
      // Poco ends a fixed-length body early without complaint when the peer closes: that is an error.
      if (response_.hasContentLength() && response_.getContentLength64() >= 0 &&
          out.size() - start_size < static_cast<uint64_t>(response_.getContentLength64())) {
        failed_ = true;
        if (owner_ != nullptr) owner_->errors_.fetch_add(1, std::memory_order_relaxed);
        throw HttpError(ErrorKind::protocol, what_ + ": connection closed after " + std::to_string(out.size() - start_size) +
                                                 " of " + std::to_string(response_.getContentLength64()) + " body bytes");
      }
      return;
    }
    auto n = static_cast<size_t>(sb->in_avail());
    if (out.size() + n > max_body) {
      failed_ = true;
      throw HttpError(ErrorKind::too_large, what_ + ": body exceeds the limit of " + std::to_string(max_body) + " bytes");
    }
    size_t old = out.size();
    if (out.capacity() < old + n) out.reserve(std::max(out.capacity() * 2, old + n));
    out.resize(old + n);
    sb->sgetn(out.data() + old, static_cast<std::streamsize>(n));
  }
}

// ---------------------------------------------------------------------------------------------

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), pool_(options_.pool), direct_pool_(options_.pool) {
  const ProfileSettings* settings[3] = {&options_.kubelet, &options_.apiserver, &options_.plain};
  const char* names[3] = {"kubelet profile", "apiserver profile", "plain profile"};
  for (int i = 0; i < 3; ++i) {
    profiles_[i].settings = *settings[i];
    if (profiles_[i].settings.tls.origin.empty()) profiles_[i].settings.tls.origin = names[i];
    profiles_[i].context = make_client_context(profiles_[i].settings.tls);
  }
}

HttpClient::~HttpClient() = default;

const HttpClient::ProfileState& HttpClient::profile(Profile p) const {
  int i = static_cast<int>(p);
  if (i < 0 || i > 2) throw HttpError(ErrorKind::invalid_argument, "unknown HTTP profile " + std::to_string(i));
  return profiles_[i];
}

HttpClient::Stats HttpClient::stats() const {
  Stats s;
  s.requests = requests_.load(std::memory_order_relaxed);
  s.connections_opened = opened_.load(std::memory_order_relaxed);
  s.connections_reused = reused_.load(std::memory_order_relaxed);
  s.retries = retries_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  return s;
}

std::unique_ptr<ResponseStream> HttpClient::open(const Request& req, std::chrono::milliseconds idle_timeout,
                                                 Interrupter* interrupter) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  const auto start = Clock::now();
  std::string method(req.method);
  std::string what = method + " " + std::string(req.url);
  const ProfileState& prof = profile(req.profile);

  Poco::URI uri;
  try {
    uri = Poco::URI(std::string(req.url));
  } catch (const Poco::Exception& e) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    throw HttpError(ErrorKind::invalid_argument, what + ": invalid URL: " + poco_reason(e));
  }
  std::string scheme = uri.getScheme();
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    throw HttpError(ErrorKind::invalid_argument, what + ": URL must be absolute http:// or https://");
  }
  if (scheme == "https" && prof.settings.force_plain_http) {
    const uint16_t port = uri.getPort();
    scheme = "http";
    uri.setScheme("http");
    uri.setPort(port);
  }
  const std::string host = uri.getHost();
  const uint16_t port = uri.getPort();
  std::string path = uri.getPathAndQuery();
  if (path.empty()) path = "/";
  const std::string key = std::to_string(static_cast<int>(req.profile)) + "|" + scheme + "|" + host + "|" +
                          std::to_string(port);
  const bool idempotent = method == "GET" || method == "HEAD";

  for (int attempt = 0;; ++attempt) {  // at most two attempts: the retry is for stale connections
    auto stream = std::unique_ptr<ResponseStream>(new ResponseStream());
    stream->owner_ = this;
    stream->key_ = key;
    stream->what_ = what;
    stream->start_ = start;
    stream->deadline_ = req.deadline;
    stream->idle_timeout_ = idle_timeout;
    stream->interrupter_ = nullptr;

    bool reused = false;
    bool connecting = false;  // inside sendRequest: connect + handshake + headers
    Clock::duration connect_limit{};
    try {
      auto now = Clock::now();
      if (now >= req.deadline) throw Poco::TimeoutException();
      if (interrupter != nullptr && interrupter->interrupted()) {
        throw HttpError(ErrorKind::cancelled, what + ": cancelled");
      }
      auto left = to_timespan(req.deadline - now);
      stream->session_ = pool_.acquire(key);
      reused = stream->session_ != nullptr;
      if (reused) {
        reused_.fetch_add(1, std::memory_order_relaxed);
        stream->session_->socket().setSendTimeout(left);
        stream->session_->socket().setReceiveTimeout(left);
      } else {
        if (scheme == "https") {
          stream->session_ = std::make_unique<Poco::Net::HTTPSClientSession>(host, port, prof.context);
        } else {
          stream->session_ = std::make_unique<Poco::Net::HTTPClientSession>(host, port);
        }
        stream->session_->setKeepAlive(true);
        // Poco reconnects a session idle longer than its own keep-alive timeout (8 s by default),
        // which would redo the TLS handshake with every kubelet on every 15 s tick. The pool's idle
        // timeout and stale-socket check decide when a connection is too old instead.
        stream->session_->setKeepAliveTimeout(to_timespan(Clock::duration(options_.pool.idle_timeout)));
        opened_.fetch_add(1, std::memory_order_relaxed);
      }
      auto connect = std::min<Clock::duration>(req.deadline - now, options_.connect_timeout);
      connect_limit = connect;
      stream->session_->setTimeout(to_timespan(connect), left, left);

      Poco::Net::HTTPRequest hr(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      hr.setKeepAlive(true);
      hr.set("User-Agent", options_.user_agent);
      for (const auto& h : req.headers) hr.set(std::string(h.name), std::string(h.value));
      if (prof.settings.token) {
        std::string token = prof.settings.token->token();
        if (!token.empty()) hr.set("Authorization", "Bearer " + token);
      }
      if (!req.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        hr.setContentLength64(static_cast<Poco::Int64>(req.body.size()));
      }
      clear_last_verify_error();
      connecting = true;
      std::ostream& os = stream->session_->sendRequest(hr);  // connects and handshakes if needed
      connecting = false;
      if (!req.body.empty()) os.write(req.body.data(), static_cast<std::streamsize>(req.body.size()));
      if (!os.good() && stream->session_->networkException() != nullptr) {
        stream->session_->networkException()->rethrow();
      }
      if (interrupter != nullptr) {
        if (!interrupter->attach(stream->session_->socket().impl()->sockfd())) {
          throw HttpError(ErrorKind::cancelled, what + ": cancelled");
        }
        stream->interrupter_ = interrupter;
      }
      if (Clock::now() >= req.deadline) throw Poco::TimeoutException();
      stream->session_->socket().setReceiveTimeout(to_timespan(req.deadline - Clock::now()));
      stream->body_ = &stream->session_->receiveResponse(stream->response_);
      stream->headers_.reserve(stream->response_.size());
      for (const auto& [n, v] : stream->response_) stream->headers_.emplace_back(n, v);
      return stream;
    } catch (...) {
      Translation t = classify();
      stream->failed_ = true;
      bool retry = reused && attempt == 0 && idempotent && t.before_response && Clock::now() < req.deadline &&
                   !(interrupter != nullptr && interrupter->interrupted());
      if (retry) {
        retries_.fetch_add(1, std::memory_order_relaxed);
        continue;  // `stream` (and its dead session) is destroyed here
      }
      errors_.fetch_add(1, std::memory_order_relaxed);
      if (t.kind == ErrorKind::timeout && connecting && !reused && Clock::now() < req.deadline) {
        throw HttpError(ErrorKind::timeout, what + ": connect timeout after " + format_duration(connect_limit));
      }
      throw make_error(what, t, start, req.deadline, idle_timeout, false, interrupter);
    }
  }
}

OwnedResponse HttpClient::request(const Request& req) {
  OwnedResponse out;
  request(req, [&out](const Response& r) {
    out.status = r.status;
    out.headers = *r.headers;
    out.body.assign(r.body);
  });
  return out;
}

}  // namespace kmetrics::http
