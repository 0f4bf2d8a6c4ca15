#include "serving/testing/tls_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <memory>

namespace kmetrics::testing {
namespace {

std::string ssl_errors() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "handshake failed" : out;
}

void parse_response(const std::string& raw, HttpResult& r) {
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) {
    r.error = "no complete response: " + raw.substr(0, 200);
    return;
  }
  std::string head = raw.substr(0, end);
  r.body = raw.substr(end + 4);
  auto first = head.find("\r\n");
  std::string status_line = head.substr(0, first);
  auto sp = status_line.find(' ');
  if (sp != std::string::npos) r.status = std::atoi(status_line.c_str() + sp + 1);
  std::size_t pos = first == std::string::npos ? head.size() : first + 2;
  while (pos < head.size()) {
    auto eol = head.find("\r\n", pos);
    std::string line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    if (eol == std::string::npos) break;
    pos = eol + 2;
  }
  auto cl = r.headers.find("content-length");
  if (cl != r.headers.end()) r.body = r.body.substr(0, static_cast<std::size_t>(std::stoul(cl->second)));
}

}  // namespace

HttpResult http_request(int port, const std::string& method, const std::string& target,
                        const std::vector<std::pair<std::string, std::string>>& headers, const ClientOptions& o) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [n, v] : headers) req += n + ": " + v + "\r\n";
  req += "\r\n";
  return exchange(port, req, o);
}

HttpResult exchange(int port, const std::string& req, const ClientOptions& o) {
  HttpResult r;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{o.timeout_ms / 1000, (o.timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    r.error = "connect failed";
    return r;
  }
  std::string raw;

  if (!o.tls) {
    r.connected = true;
    ::send(fd, req.data(), req.size(), 0);
    char buf[16384];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) raw.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    r.raw = raw;
    parse_response(raw, r);
    return r;
  }

  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  if (o.security_level_0) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  }
  if (o.min_version) SSL_CTX_set_min_proto_version(ctx, o.min_version);
  if (o.max_version) SSL_CTX_set_max_proto_version(ctx, o.max_version);
  if (!o.cert_pem.empty()) {
    BIO* b = BIO_new_mem_buf(o.cert_pem.data(), static_cast<int>(o.cert_pem.size()));
    X509* leaf = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
    SSL_CTX_use_certificate(ctx, leaf);
    X509_free(leaf);
    while (X509* extra = PEM_read_bio_X509(b, nullptr, nullptr, nullptr)) SSL_CTX_add_extra_chain_cert(ctx, extra);
    ERR_clear_error();
    BIO_free(b);
    BIO* kb = BIO_new_mem_buf(o.key_pem.data(), static_cast<int>(o.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);
    BIO_free(kb);
  }
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "localhost");
  if (SSL_connect(ssl) != 1) {
    r.error = ssl_errors();
  } else {
    r.connected = true;
    r.cipher = SSL_get_cipher_name(ssl);
    r.version = SSL_get_version(ssl);
    if (X509* peer = SSL_get1_peer_certificate(ssl)) {
      BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(peer), nullptr);
      char* hex = BN_bn2hex(bn);
      r.server_cert_serial = hex;
      OPENSSL_free(hex);
      BN_free(bn);
      BIO* b = BIO_new(BIO_s_mem());
      PEM_write_bio_X509(b, peer);
      char* data = nullptr;
      long n = BIO_get_mem_data(b, &data);
      r.server_cert_pem.assign(data, static_cast<std::size_t>(n));
      BIO_free(b);
      X509_free(peer);
    }
    SSL_write(ssl, req.data(), static_cast<int>(req.size()));
    char buf[16384];
    int n;
    while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) raw.append(buf, static_cast<std::size_t>(n));
    r.raw = raw;
    parse_response(raw, r);
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return r;
}

}  // namespace kmetrics::testing
