// The host's outgoing HTTP(S) client, offered to plugins as kmetrics_host_api.http_request and used
// by the cluster view for API-server requests.
//
// Profiles carry the TLS settings and credentials (KUBELET: --kubelet-* flags over the RestConfig;
// APISERVER: the RestConfig; PLAIN: system CAs, no credentials). Connections are pooled per
// profile + scheme + host + port and reused with HTTP/1.1 keep-alive; a connection serves one request
// at a time. A request on a reused connection that fails before any response byte (the peer closed
// an idle connection) is retried once on a fresh connection if the method is GET or HEAD.
//
// Two transports: request() (fully read bodies: every kubelet scrape, API calls) runs on
// DirectConnection, non-blocking sockets with OpenSSL on the descriptor and one poll() per wait;
// open() (streams: watches, paged lists) runs on Poco sessions. They have separate pools.
//
// Deadline: connect, TLS handshake, send and every receive wait at most until the request deadline,
// so a request never outlives it by more than scheduling slack (name resolution of DNS host names is
// the exception: getaddrinfo cannot be bounded; kubelet addresses are normally IPs). The body is
// limited to max_body_bytes (larger -> ErrorKind::too_large).
//
// Errors are HttpError with a complete message: "GET https://10.0.0.1:10250/metrics/resource:
// connection refused", "...: timeout after 10s", "...: certificate verify failed: ...".
//
// The process must ignore or block SIGPIPE: OpenSSL writes with write(2), so a peer that resets a TLS
// connection would otherwise kill it (kmetrics' main ignores it).
//
// Thread-safety: every method may be called from any number of threads at once. The body passed to
// an on_response callback lives in a per-thread buffer that is reused by the next request on that
// thread (no per-request allocation of big buffers); copy what you keep.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPResponse.h>

#include "http/deadline.hpp"
#include "http/direct_connection.hpp"
#include "http/http_error.hpp"
#include "http/idle_pool.hpp"
#include "http/interrupter.hpp"
#include "http/request_buffers.hpp"
#include "http/tls_context.hpp"
#include "http/token_source.hpp"

namespace kmetrics::http {

// Values match kmetrics_http_profile in <kmetrics/abi.h>.
enum class Profile : int { kubelet = 0, apiserver = 1, plain = 2 };

struct ProfileSettings {
  TlsSettings tls;
  std::shared_ptr<TokenSource> token;  // nullptr or empty token: no Authorization header
  // --deprecated-kubelet-completely-insecure: https:// URLs are fetched as http:// (same port).
  bool force_plain_http = false;
};

struct HttpClientOptions {
  ProfileSettings kubelet;
  ProfileSettings apiserver;
  ProfileSettings plain = [] {
    ProfileSettings p;
    p.tls.use_system_cas = true;
    p.tls.origin = "plain profile";
    return p;
  }();
  size_t max_body_bytes = 64u << 20;
  // Upper bound for TCP connect + TLS handshake (the request deadline applies too, whichever is first).
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(30);
  IdlePoolOptions pool;  // each of the two pools
  std::string user_agent = "kmetrics";
};

using Header = std::pair<std::string, std::string>;

struct HeaderView {
  std::string_view name;
  std::string_view value;
};

struct Request {
  std::string_view method = "GET";
  std::string_view url;  // absolute: https://10.0.0.1:10250/metrics/resource
  std::span<const HeaderView> headers;
  std::string_view body;
  Clock::time_point deadline;
  Profile profile = Profile::plain;
};

struct Response {
  int status = 0;
  const std::vector<Header>* headers = nullptr;
  std::string_view body;  // valid during the callback only
};

struct OwnedResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
};

class HttpClient;

// True when an idle session's socket has become readable (peer closed or sent garbage).
bool session_is_stale(Poco::Net::HTTPClientSession& session);

// An open response whose body is read incrementally (watch streams, large lists). Reads wait at most
// `idle_timeout` for the next bytes and never past the request deadline. When the body was read to
// its end the connection goes back to the pool on destruction.
// Thread-safety: one thread at a time; interrupt through the Interrupter given to open().
class ResponseStream {
 public:
  ~ResponseStream();
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  int status() const { return response_.getStatus(); }
  const std::vector<Header>& headers() const { return headers_; }
  // Empty when absent. Names compare case-insensitively.
  std::string_view header(std::string_view name) const;

  // Reads the next '\n'-terminated line (without '\n', '\r' kept) into `line`. Returns false at the
  // end of the body with nothing read. Throws HttpError (too_large when longer than max_line).
  bool read_line(std::string& line, size_t max_line);
  // Appends the rest of the body to `out`; too_large when the body exceeds max_body.
  void read_all(std::string& out, size_t max_body);
  // Moves the deadline for the rest of the body (a watch opens with a short deadline for the
  // headers, then lives until the server ends it, bounded by the idle timeout).
  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  // "GET https://host:port/path": the prefix of error messages.
  const std::string& what() const { return what_; }

 private:
  friend class HttpClient;
  ResponseStream() = default;
  bool fill();  // makes at least one byte available; false at the end of the body
  [[noreturn]] void fail();  // translates the current exception

  HttpClient* owner_ = nullptr;
  std::string key_;
  std::string what_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  Poco::Net::HTTPResponse response_;
  std::vector<Header> headers_;
  std::istream* body_ = nullptr;
  Clock::time_point start_{}, deadline_{};
  std::chrono::milliseconds idle_timeout_{0};
  Interrupter* interrupter_ = nullptr;
  bool eof_ = false;
  bool failed_ = false;
  bool idle_limited_ = false;  // the current read's timeout is the idle timeout, not the deadline
};

class HttpClient {
 public:
  // Builds the TLS contexts of the three profiles now; throws std::runtime_error on bad material.
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request with a fully read body; on_response runs once on this thread before return.
  // Throws HttpError. Exceptions thrown by on_response propagate unchanged.
  void request(const Request& req, const std::function<void(const Response&)>& on_response);
  // The same with a copied result.
  OwnedResponse request(const Request& req);

  // Sends the request and returns once the response headers arrived. `idle_timeout` (0: none) bounds
  // each wait for more body bytes; the request deadline bounds everything (use Clock::time_point::max()
  // for a watch). `interrupter` (optional) aborts the stream from another thread.
  std::unique_ptr<ResponseStream> open(const Request& req, std::chrono::milliseconds idle_timeout,
                                       Interrupter* interrupter = nullptr);

  struct Stats {
    uint64_t requests = 0;
    uint64_t connections_opened = 0;
    uint64_t connections_reused = 0;
    uint64_t retries = 0;  // stale keep-alive connections retried on a fresh one
    uint64_t errors = 0;
  };
  Stats stats() const;
  size_t idle_connections() const { return pool_.idle_count() + direct_pool_.idle_count(); }
  size_t max_body_bytes() const { return options_.max_body_bytes; }

 private:
  friend class ResponseStream;
  struct ProfileState {
    ProfileSettings settings;
    Poco::Net::Context::Ptr context;  // null when the profile cannot do TLS (never for valid input)
  };
  const ProfileState& profile(Profile p) const;

  HttpClientOptions options_;
  ProfileState profiles_[3];
  IdlePool<Poco::Net::HTTPClientSession, &session_is_stale> pool_;  // open() streams
  IdlePool<DirectConnection, &is_stale> direct_pool_;                // request()
  RequestBufferPool buffers_;                                        // request()
  std::atomic<uint64_t> requests_{0}, opened_{0}, reused_{0}, retries_{0}, errors_{0};
};

}  // namespace kmetrics::http
