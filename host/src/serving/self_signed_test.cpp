#include "serving/self_signed.hpp"

#include <gtest/gtest.h>

#include <openssl/x509v3.h>

#include <filesystem>

#include "serving/cert_reloader.hpp"
#include "serving/route_registry.hpp"
#include "serving/secure_server.hpp"
#include "serving/testing/tls_client.hpp"

namespace kmetrics {
namespace {

std::filesystem::path temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

TEST(SelfSigned, GeneratesWithSansAndReuses) {
  auto dir = temp_dir("kmetrics-selfsigned");
  SelfSignedRequest req{dir.string(), {"localhost", "metrics-server.kube-system.svc"}, {"127.0.0.1"}};
  auto first = ensure_self_signed_cert(req);
  EXPECT_TRUE(first.generated);
  EXPECT_EQ(first.cert_file, (dir / "apiserver.crt").string());
  EXPECT_EQ(first.key_file, (dir / "apiserver.key").string());
  EXPECT_EQ(std::filesystem::status(first.key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto pair = load_cert_key(first.cert_file, first.key_file);
  X509* cert = pair->leaf.get();
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert, "metrics-server.kube-system.svc", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert, "evil.example", 0, 0, nullptr), 1);
  EXPECT_EQ(subject_cn(cert).rfind("localhost@", 0), 0u);

  auto again = ensure_self_signed_cert(req);
  EXPECT_FALSE(again.generated);
  EXPECT_EQ(load_cert_key(again.cert_file, again.key_file)->serial_hex, pair->serial_hex);

  // A new name the old cert lacks forces regeneration.
  req.dns_names.push_back("metrics-server.kube-system.svc.cluster.local");
  EXPECT_TRUE(ensure_self_signed_cert(req).generated);
  std::filesystem::remove_all(dir);
}

TEST(SelfSigned, ServerUsesGeneratedCertificate) {
  auto dir = temp_dir("kmetrics-selfsigned-server");
  ServingOptions opt;
  opt.bind_address = "127.0.0.1";
  opt.secure_port = -1;
  opt.cert_dir = dir.string();
  opt.self_signed_dns_names = {"localhost", "metrics-server.kube-system.svc"};
  ServingDeps deps;
  deps.routes = std::make_shared<RouteRegistry>();
  deps.health = std::make_shared<HealthChecks>();
  deps.authenticator = std::make_shared<Authenticator>(std::make_shared<AuthenticationConfigHolder>(), nullptr);
  deps.authorizer = std::make_shared<Authorizer>(AuthorizationOptions{}, nullptr);
  SecureServer server(opt, deps);
  server.start();
  EXPECT_EQ(server.cert_file(), (dir / "apiserver.crt").string());
  auto r = testing::https_get(server.secure_port(), "/healthz");
  ASSERT_TRUE(r.connected) << r.error;
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.server_cert_serial, load_cert_key((dir / "apiserver.crt").string(), (dir / "apiserver.key").string())->serial_hex);
  // No reviewer configured: everything but always-allow paths is forbidden.
  EXPECT_EQ(testing::https_get(server.secure_port(), "/metrics").status, 403);
  server.stop();
  std::filesystem::remove_all(dir);
}

TEST(SecureServerOptions, RejectsHalfConfiguredCertAndBadCiphers) {
  ServingDeps deps;
  deps.routes = std::make_shared<RouteRegistry>();
  deps.authenticator = std::make_shared<Authenticator>(std::make_shared<AuthenticationConfigHolder>(), nullptr);
  deps.authorizer = std::make_shared<Authorizer>(AuthorizationOptions{}, nullptr);
  ServingOptions opt;
  opt.tls_cert_file = "/x.crt";
  EXPECT_THROW(SecureServer(opt, deps), std::invalid_argument);
  auto dir = temp_dir("kmetrics-badcipher");
  ServingOptions bad;
  bad.bind_address = "127.0.0.1";
  bad.secure_port = -1;
  bad.cert_dir = dir.string();
  bad.tls.cipher_suites = {"TLS_NOT_A_SUITE"};
  SecureServer server(bad, deps);
  EXPECT_THROW(server.start(), std::invalid_argument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kmetrics
