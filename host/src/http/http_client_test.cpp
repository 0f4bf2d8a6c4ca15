// Real-network tests of HttpClient against in-process servers on 127.0.0.1.
#include "http/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

#include <sys/socket.h>

#include <openssl/ssl.h>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/ServerSocket.h>

#include "http/abi_bridge.hpp"
#include "http/background_lookup.hpp"
#include "http/testing/test_pki.hpp"
#include "http/testing/test_server.hpp"
#include "scheduler/fiber_pool.hpp"

namespace kmetrics::http {
namespace {

using namespace std::chrono_literals;
using testing::TestServer;

class HttpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::signal(SIGPIPE, SIG_IGN);  // as kmetrics' main does: see http_client.hpp
    dir_ = new std::string(testing::make_temp_dir("kmetrics-http-test-"));
    pki_ = new testing::TestPki(*dir_);
    std::string other_dir = testing::make_temp_dir("kmetrics-http-test-other-");
    other_dir_ = new std::string(other_dir);
    other_pki_ = new testing::TestPki(other_dir, "other-ca");
    server_cert_ = new testing::CertFiles(pki_->issue("server", "IP:127.0.0.1,DNS:localhost"));
    wrong_name_cert_ = new testing::CertFiles(pki_->issue("wrongname", "DNS:elsewhere.example"));
  }
  static void TearDownTestSuite() {
    testing::remove_tree(*dir_);
    testing::remove_tree(*other_dir_);
  }

  static TestServer::Options tls_options(const testing::CertFiles& cert = *server_cert_) {
    TestServer::Options o;
    o.tls = true;
    o.cert_path = cert.cert_path;
    o.key_path = cert.key_path;
    return o;
  }
  static TestServer::Options plain_options() {
    TestServer::Options o;
    o.tls = false;
    return o;
  }
  static HttpClientOptions client_options() {
    HttpClientOptions o;
    o.kubelet.tls.ca_pem = pki_->ca().cert_pem;
    o.apiserver.tls.ca_pem = pki_->ca().cert_pem;
    return o;
  }
  static Request get(const std::string& url, Profile p = Profile::kubelet, std::chrono::milliseconds d = 5s) {
    Request r;
    r.url = url;
    r.profile = p;
    r.deadline = Clock::now() + d;
    return r;
  }
  static void reply(Poco::Net::HTTPServerResponse& resp, const std::string& body) {
    resp.setContentType("text/plain");
    resp.setContentLength64(static_cast<Poco::Int64>(body.size()));
    resp.send() << body;
  }

  static std::string* dir_;
  static std::string* other_dir_;
  static testing::TestPki* pki_;
  static testing::TestPki* other_pki_;
  static testing::CertFiles* server_cert_;
  static testing::CertFiles* wrong_name_cert_;
};
std::string* HttpClientTest::dir_;
std::string* HttpClientTest::other_dir_;
testing::TestPki* HttpClientTest::pki_;
testing::TestPki* HttpClientTest::other_pki_;
testing::CertFiles* HttpClientTest::server_cert_;
testing::CertFiles* HttpClientTest::wrong_name_cert_;

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  TestServer server(tls_options(), [](auto& req, auto& resp) { reply(resp, "hello " + req.getURI()); });
  HttpClient client(client_options());
  for (int i = 0; i < 5; ++i) {
    std::string url = server.base_url() + "/metrics/resource?i=" + std::to_string(i);
    auto r = client.request(get(url));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello /metrics/resource?i=" + std::to_string(i));
  }
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().connections_reused, 4u);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST_F(HttpClientTest, ChunkedBodiesAcrossRecordsAndClosingServers) {
  // 100 kB in chunks of 7 kB: several TLS records, chunk boundaries inside records.
  std::string big;
  for (int i = 0; big.size() < 100000; ++i) big += "line " + std::to_string(i) + "\n";
  TestServer server(tls_options(), [&](auto& req, auto& resp) {
    if (req.getURI() == "/close") resp.setKeepAlive(false);
    resp.setChunkedTransferEncoding(true);
    std::ostream& out = resp.send();
    for (size_t off = 0; off < big.size(); off += 7000) {
      out << big.substr(off, 7000);
      out.flush();
    }
  });
  HttpClient client(client_options());
  for (const char* path : {"/keep", "/keep", "/close", "/keep"}) {
    auto r = client.request(get(server.base_url() + path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, big) << path;
    // "Connection: close" ends the connection instead of pooling it.
    EXPECT_EQ(client.idle_connections(), std::string(path) == "/close" ? 0u : 1u) << path;
  }
  EXPECT_EQ(client.stats().connections_opened, 2u);
  EXPECT_EQ(client.stats().connections_reused, 2u);
  EXPECT_EQ(server.connections(), 2u);
}

TEST_F(HttpClientTest, ConcurrentRequestsNeverShareASession) {
  TestServer server(tls_options(), [](auto& req, auto& resp) {
    std::this_thread::sleep_for(2ms);
    reply(resp, req.getURI());
  });
  HttpClient client(client_options());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto r = client.request(get(server.base_url() + path));
        if (r.status == 200 && r.body == path) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 90);
  EXPECT_LE(server.connections(), 6u + 4u);  // at most one per thread plus reconnects past the idle cap
}

TEST_F(HttpClientTest, FibersOnOneThreadRunRequestsConcurrently) {
  // Scrape fibers: one thread, eight fibers, real TLS. The server sees several requests at once,
  // a hung one times out at its own deadline, and a verification failure names its own cause.
  std::atomic<int> inflight{0}, max_inflight{0};
  TestServer server(tls_options(), [&](auto& req, auto& resp) {
    const int now = ++inflight;
    for (int seen = max_inflight.load(); now > seen && !max_inflight.compare_exchange_weak(seen, now);) {
    }
    if (req.getURI() == "/hang") {
      server.sleep_unless_stopping(20000);
    } else {
      std::this_thread::sleep_for(20ms);
    }
    --inflight;
    reply(resp, req.getURI());
  });
  TestServer wrong_name(tls_options(*wrong_name_cert_), [](auto&, auto& resp) { reply(resp, "x"); });
  HttpClient client(client_options());
  std::atomic<int> ok{0}, timed_out{0}, verify_failed{0}, by_name{0};
  {
    FiberPool fibers({1, 8, 100});
    ASSERT_TRUE(fibers.submit([&] {
      try {
        client.request(get(server.base_url() + "/hang", Profile::kubelet, 300ms));
      } catch (const HttpError& e) {
        if (e.kind() == ErrorKind::timeout) ++timed_out;
      }
    }));
    ASSERT_TRUE(fibers.submit([&] {
      try {
        client.request(get(wrong_name.base_url() + "/"));
      } catch (const HttpError& e) {
        if (std::string(e.what()).find("IP address mismatch (expected 127.0.0.1)") != std::string::npos) ++verify_failed;
      }
    }));
    ASSERT_TRUE(fibers.submit([&] {  // a DNS name: the lookup runs off the fiber's thread
      auto r = client.request(get("https://localhost:" + std::to_string(server.port()) + "/by-name"));
      if (r.status == 200 && r.body == "/by-name") ++by_name;
    }));
    for (int i = 0; i < 30; ++i) {
      ASSERT_TRUE(fibers.submit([&, i] {
        const std::string path = "/f" + std::to_string(i);
        auto r = client.request(get(server.base_url() + path));
        if (r.status == 200 && r.body == path) ++ok;
      }));
    }
    for (int i = 0; i < 1000 && ok.load() + timed_out.load() + verify_failed.load() + by_name.load() < 33; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    fibers.stop();
  }
  EXPECT_EQ(ok.load(), 30);
  EXPECT_EQ(timed_out.load(), 1);
  EXPECT_EQ(verify_failed.load(), 1);
  EXPECT_EQ(by_name.load(), 1);
  EXPECT_GE(max_inflight.load(), 3) << "one thread, yet several requests at once";
  EXPECT_LE(server.connections(), 8u + 1u);  // at most one per fiber, plus the hung one's replacement
}

TEST(BackgroundLookup, AnswersOnAPlainThreadAndInAFiberAndGivesUpAtTheDeadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  auto here = lookup_until("localhost", "443", hints, Clock::now() + 5s);
  ASSERT_TRUE(here.has_value());
  EXPECT_EQ(here->rc, 0);
  EXPECT_NE(here->list, nullptr);
  std::atomic<int> answered{0}, gave_up{0}, finished{0};
  {
    FiberPool fibers({1, 2, 10});
    ASSERT_TRUE(fibers.submit([&] {
      auto r = lookup_until("localhost", "443", hints, Clock::now() + 5s);
      if (r && r->rc == 0 && r->list != nullptr) ++answered;
      ++finished;
    }));
    ASSERT_TRUE(fibers.submit([&] {
      if (!lookup_until("localhost", "443", hints, Clock::now() - 1ms)) ++gave_up;  // its thread cleans up
      ++finished;
    }));
    for (int i = 0; i < 1000 && finished.load() < 2; ++i) std::this_thread::sleep_for(10ms);
    fibers.stop();
  }
  EXPECT_EQ(answered.load(), 1);
  EXPECT_EQ(gave_up.load(), 1);
}

TEST_F(HttpClientTest, DeadlineOnHangingTlsServer) {
  TestServer server(tls_options(), [&](auto&, auto& resp) {
    server.sleep_unless_stopping(20000);
    reply(resp, "late");
  });
  HttpClient client(client_options());
  auto t0 = Clock::now();
  try {
    client.request(get(server.base_url() + "/metrics/resource", Profile::kubelet, 400ms));
    FAIL() << "expected a timeout";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
    EXPECT_EQ(std::string(e.what()), "GET " + server.base_url() + "/metrics/resource: timeout after 400ms");
  }
  EXPECT_LT(Clock::now() - t0, 1500ms);
  server.stop();
}

TEST_F(HttpClientTest, DeadlineOnHangingPlainServerMidBody) {
  TestServer server(plain_options(), [&](auto&, auto& resp) {
    resp.setContentLength64(100);
    auto& out = resp.send();
    out << "partial";
    out.flush();
    server.sleep_unless_stopping(20000);
  });
  HttpClient client(client_options());
  auto t0 = Clock::now();
  try {
    client.request(get(server.base_url() + "/x", Profile::plain, 300ms));
    FAIL() << "expected a timeout";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
    EXPECT_NE(std::string(e.what()).find("timeout after 300ms"), std::string::npos) << e.what();
  }
  EXPECT_LT(Clock::now() - t0, 1500ms);
  server.stop();
}

TEST_F(HttpClientTest, WrongCaFailsVerification) {
  TestServer server(tls_options(), [](auto&, auto& resp) { reply(resp, "secret"); });
  HttpClientOptions o;
  o.kubelet.tls.ca_pem = other_pki_->ca().cert_pem;
  o.kubelet.token = TokenSource::fixed("must-not-leak");
  HttpClient client(o);
  try {
    client.request(get(server.base_url() + "/metrics/resource"));
    FAIL() << "expected a TLS error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::tls) << e.what();
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("GET " + server.base_url() + "/metrics/resource: certificate verify failed: ", 0), 0u) << msg;
  }
  EXPECT_EQ(server.requests(), 0u);  // nothing, in particular no token, was sent
}

TEST_F(HttpClientTest, IpSanMismatchFailsVerification) {
  TestServer server(tls_options(*wrong_name_cert_), [](auto&, auto& resp) { reply(resp, "x"); });
  HttpClient client(client_options());
  try {
    client.request(get(server.base_url() + "/"));
    FAIL() << "expected a TLS error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::tls);
    EXPECT_NE(std::string(e.what()).find("IP address mismatch (expected 127.0.0.1)"), std::string::npos) << e.what();
  }
}

TEST_F(HttpClientTest, DnsNameIsVerifiedThroughSni) {
  TestServer server(tls_options(), [](auto&, auto& resp) { reply(resp, "ok"); });
  HttpClient client(client_options());
  auto r = client.request(get("https://localhost:" + std::to_string(server.port()) + "/"));
  EXPECT_EQ(r.body, "ok");
}

TEST_F(HttpClientTest, ClientCertificateForMutualTls) {
  TestServer::Options so = tls_options();
  so.client_ca_path = pki_->ca().cert_path;
  TestServer server(so, [](auto&, auto& resp) { reply(resp, "mtls ok"); });
  HttpClient anonymous(client_options());
  try {
    anonymous.request(get(server.base_url() + "/"));
    FAIL() << "expected the server to reject a client without certificate";
  } catch (const HttpError& e) {
    EXPECT_TRUE(e.kind() == ErrorKind::tls || e.kind() == ErrorKind::io || e.kind() == ErrorKind::protocol) << e.what();
  }
  testing::CertFiles client_cert = pki_->issue("client", "DNS:kmetrics");
  HttpClientOptions o = client_options();
  o.kubelet.tls.client_cert_pem = client_cert.cert_pem;
  o.kubelet.tls.client_key_pem = client_cert.key_pem;
  HttpClient with_cert(o);
  EXPECT_EQ(with_cert.request(get(server.base_url() + "/")).body, "mtls ok");
}

TEST_F(HttpClientTest, InsecureSkipsVerification) {
  TestServer server(tls_options(*wrong_name_cert_), [](auto&, auto& resp) { reply(resp, "ok"); });
  HttpClientOptions o;
  o.kubelet.tls.insecure_skip_verify = true;
  HttpClient client(o);
  EXPECT_EQ(client.request(get(server.base_url() + "/")).body, "ok");
}

TEST_F(HttpClientTest, CompletelyInsecureUsesPlainHttpWithoutToken) {
  std::string auth = "unset";
  TestServer server(plain_options(), [&](auto& req, auto& resp) {
    auth = req.get("Authorization", "");
    reply(resp, "plain");
  });
  HttpClientOptions o;
  o.kubelet.force_plain_http = true;  // what the kubelet profile builder sets for completely-insecure
  HttpClient client(o);
  auto url = "https://127.0.0.1:" + std::to_string(server.port()) + "/metrics/resource";
  EXPECT_EQ(client.request(get(url)).body, "plain");
  EXPECT_EQ(auth, "");
}

TEST_F(HttpClientTest, BearerTokenIsSentAndReReadAfterRotation) {
  std::mutex mu;
  std::vector<std::string> seen;
  TestServer server(tls_options(), [&](auto& req, auto& resp) {
    {
      std::lock_guard lock(mu);
      seen.push_back(req.get("Authorization", ""));
    }
    reply(resp, "ok");
  });
  std::string token_path = *dir_ + "/token";
  testing::write_file(token_path, "first-token\n");
  HttpClientOptions o = client_options();
  o.kubelet.token = TokenSource::file(token_path, 0ms);
  HttpClient client(o);
  client.request(get(server.base_url() + "/a"));
  // Rotation the way the kubelet does it: a new file atomically renamed over the old one.
  testing::write_file(token_path + ".new", "second-token");
  ASSERT_EQ(std::rename((token_path + ".new").c_str(), token_path.c_str()), 0);
  client.request(get(server.base_url() + "/b"));
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "Bearer first-token");
  EXPECT_EQ(seen[1], "Bearer second-token");
}

TEST_F(HttpClientTest, BodyLimitIsEnforced) {
  const std::string big(300000, 'x');
  TestServer server(plain_options(), [&](auto& req, auto& resp) {
    if (req.getURI() == "/chunked") {
      resp.setChunkedTransferEncoding(true);
      auto& out = resp.send();
      for (int i = 0; i < 30; ++i) out << big.substr(0, 10000) << std::flush;
    } else {
      reply(resp, big);
    }
  });
  HttpClientOptions o;
  o.max_body_bytes = 100000;
  HttpClient client(o);
  for (const char* path : {"/fixed", "/chunked"}) {
    try {
      client.request(get(server.base_url() + path, Profile::plain));
      FAIL() << "expected too_large for " << path;
    } catch (const HttpError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::too_large) << e.what();
      EXPECT_NE(std::string(e.what()).find("100000 bytes"), std::string::npos) << e.what();
    }
  }
  o.max_body_bytes = 300000;
  HttpClient roomy(o);
  EXPECT_EQ(roomy.request(get(server.base_url() + "/chunked", Profile::plain)).body.size(), 300000u);
}

TEST_F(HttpClientTest, TruncatedFixedLengthBodyIsAnError) {
  TestServer server(plain_options(), [](auto& req, auto& resp) {
    resp.setContentLength64(1000);
    auto& out = resp.send();
    out << "only a part" << std::flush;
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(req);
    ::shutdown(impl.socket().impl()->sockfd(), SHUT_RDWR);
  });
  HttpClient client(client_options());
  try {
    client.request(get(server.base_url() + "/t", Profile::plain));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    EXPECT_NE(std::string(e.what()).find("connection closed after 11 of 1000 body bytes"), std::string::npos) << e.what();
  }
}

TEST_F(HttpClientTest, ConnectionRefusedIsReportedPrecisely) {
  uint16_t port;
  {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = s.address().port();
  }
  HttpClient client(client_options());
  std::string url = "https://127.0.0.1:" + std::to_string(port) + "/metrics/resource";
  try {
    client.request(get(url));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connect);
    EXPECT_EQ(std::string(e.what()), "GET " + url + ": connection refused");
  }
}

TEST_F(HttpClientTest, ServerClosingIdleConnectionIsRetriedTransparently) {
  TestServer::Options so = plain_options();
  so.keep_alive_timeout_ms = 100;
  TestServer server(so, [](auto&, auto& resp) { reply(resp, "ok"); });
  HttpClient client(client_options());
  EXPECT_EQ(client.request(get(server.base_url() + "/1", Profile::plain)).body, "ok");
  std::this_thread::sleep_for(400ms);  // the server closes the idle connection
  EXPECT_EQ(client.request(get(server.base_url() + "/2", Profile::plain)).body, "ok");
  EXPECT_EQ(server.connections(), 2u);
}

TEST_F(HttpClientTest, StreamReadsLinesAndCanBeInterrupted) {
  TestServer server(tls_options(), [&](auto&, auto& resp) {
    resp.setChunkedTransferEncoding(true);
    auto& out = resp.send();
    out << "{\"a\":1}\n" << std::flush;
    out << "{\"b\":" << std::flush << "2}\n" << std::flush;
    server.sleep_unless_stopping(20000);
  });
  HttpClient client(client_options());
  Interrupter intr;
  const std::string url = server.base_url() + "/watch";  // Request holds views: keep the string alive
  Request r = get(url, Profile::apiserver);
  r.deadline = Clock::time_point::max();
  auto stream = client.open(r, 10s, &intr);
  std::string line;
  ASSERT_TRUE(stream->read_line(line, 1024));
  EXPECT_EQ(line, "{\"a\":1}");
  ASSERT_TRUE(stream->read_line(line, 1024));
  EXPECT_EQ(line, "{\"b\":2}");
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    intr.interrupt();
  });
  auto t0 = Clock::now();
  try {
    stream->read_line(line, 1024);
    FAIL() << "expected cancellation";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
  }
  EXPECT_LT(Clock::now() - t0, 2s);
  stopper.join();
  stream.reset();
  server.stop();
}

TEST_F(HttpClientTest, InvalidUrl) {
  HttpClient client(client_options());
  EXPECT_THROW(client.request(get("ftp://x/y")), HttpError);
  try {
    client.request(get("not a url"));
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
  }
}

TEST_F(HttpClientTest, AbiBridgeServesPlugins) {
  TestServer server(tls_options(), [](auto& req, auto& resp) {
    resp.set("X-Echo", req.get("X-Plugin", ""));
    reply(resp, "abi body");
  });
  HttpClient client(client_options());
  std::string url = server.base_url() + "/metrics/resource";
  kmetrics_header h{{"X-Plugin", 8}, {"kubelet", 7}};
  kmetrics_http_request r{};
  r.struct_size = sizeof r;
  r.method = {"GET", 3};
  r.url = {url.data(), url.size()};
  r.headers = &h;
  r.header_count = 1;
  r.deadline_mono_ns = std::chrono::duration_cast<std::chrono::nanoseconds>((Clock::now() + 5s).time_since_epoch()).count();
  r.profile = KMETRICS_HTTP_PROFILE_KUBELET;
  struct Got {
    int status = 0;
    std::string body, echo;
  } got;
  auto cb = [](void* user, const kmetrics_http_response* resp) {
    auto* g = static_cast<Got*>(user);
    g->status = resp->status;
    g->body.assign(resp->body.ptr, resp->body.len);
    for (size_t i = 0; i < resp->header_count; ++i) {
      if (std::string_view(resp->headers[i].name.ptr, resp->headers[i].name.len) == "X-Echo") {
        g->echo.assign(resp->headers[i].value.ptr, resp->headers[i].value.len);
      }
    }
  };
  EXPECT_EQ(abi_http_request(client, &r, &got, cb, nullptr), KMETRICS_OK);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "abi body");
  EXPECT_EQ(got.echo, "kubelet");

  uint16_t closed_port;
  {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    closed_port = s.address().port();
  }
  url = "https://127.0.0.1:" + std::to_string(closed_port) + "/metrics/resource";
  r.url = {url.data(), url.size()};
  std::vector<std::string> reports;
  kmetrics_diag diag{sizeof(kmetrics_diag), &reports, [](void* u, kmetrics_str path, kmetrics_str msg) {
                       static_cast<std::vector<std::string>*>(u)->push_back(std::string(path.ptr, path.len) + " | " +
                                                                            std::string(msg.ptr, msg.len));
                     }};
  EXPECT_EQ(abi_http_request(client, &r, &got, cb, &diag), KMETRICS_ERR_UNAVAILABLE);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0], url + " | GET " + url + ": connection refused");
}

TEST(TlsContextTest, BadMaterialIsReportedWithOrigin) {
  TlsSettings s;
  s.origin = "kubeconfig /x";
  s.ca_pem = "not a pem";
  try {
    make_client_context(s);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "kubeconfig /x: CA data: no PEM certificate found");
  }
  TlsSettings k;
  k.origin = "o";
  k.client_cert_pem = "x";
  EXPECT_THROW(make_client_context(k), std::runtime_error);
}

TEST(TlsContextTest, IdleConnectionsReleaseTheirBuffers) {
  TlsSettings s;
  s.origin = "test";
  s.insecure_skip_verify = true;
  const auto ctx = make_client_context(s);
  EXPECT_NE(SSL_CTX_get_mode(ctx->sslContext()) & SSL_MODE_RELEASE_BUFFERS, 0u);
}

}  // namespace
}  // namespace kmetrics::http
