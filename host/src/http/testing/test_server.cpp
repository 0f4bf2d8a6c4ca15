#include "http/testing/test_server.hpp"

#include <chrono>
#include <thread>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>

#include "http/tls_context.hpp"

namespace kmetrics::http::testing {

class TestServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(TestServer* owner) : owner_(owner) {}
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(TestServer* owner) : owner_(owner) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
      {
        std::lock_guard lock(owner_->mu_);
        owner_->clients_.insert(req.clientAddress().toString());
      }
      owner_->requests_.fetch_add(1);
      try {
        owner_->handler_(req, resp);
      } catch (...) {
        // The client went away mid-stream; nothing to do in a test server.
      }
    }

   private:
    TestServer* owner_;
  };
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(owner_);
  }

 private:
  TestServer* owner_;
};

TestServer::TestServer(Options options, Handler handler) : options_(std::move(options)), handler_(std::move(handler)) {
  ensure_ssl_initialized();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(options_.keep_alive);
  params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_timeout_ms * 1000LL));
  params->setMaxThreads(32);
  params->setMaxQueued(64);
  params->setTimeout(Poco::Timespan(30, 0));
  Poco::Net::SocketAddress addr("127.0.0.1", 0);
  if (options_.tls) {
    bool mtls = !options_.client_ca_path.empty();
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, options_.key_path, options_.cert_path, options_.client_ca_path,
        mtls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE);
    // Poco would also match the client certificate's names against the client's address.
    ctx->enableExtendedCertificateVerification(false);
    Poco::Net::SecureServerSocket socket(addr, 64, ctx);
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), socket, params);
  } else {
    Poco::Net::ServerSocket socket(addr, 64);
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), socket, params);
  }
  server_->start();
}

TestServer::~TestServer() { stop(); }

void TestServer::stop() {
  if (stopping_.exchange(true)) return;
  server_->stopAll(true);
}

std::string TestServer::base_url() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

size_t TestServer::connections() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

void TestServer::sleep_unless_stopping(int ms) const {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stopping() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace kmetrics::http::testing
