#include "https_test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace kmetrics::sim::testing {

ClientTlsContext::ClientTlsContext(const std::string& ca_pem, const std::string& cert_pem, const std::string& key_pem) {
  signal(SIGPIPE, SIG_IGN);  // a server closing first must show up as an error, not kill the test
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  BIO* b = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
  while (X509* c = PEM_read_bio_X509(b, nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx_), c);
    X509_free(c);
  }
  ERR_clear_error();
  BIO_free(b);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_CLIENT);
  SSL_CTX_set_mode(ctx_, SSL_MODE_RELEASE_BUFFERS);  // thousands of idle keep-alive connections in the bench
  if (!cert_pem.empty()) {
    BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
    X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO_free(cb);
    BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(kb);
    if (!cert || !key || SSL_CTX_use_certificate(ctx_, cert) != 1 || SSL_CTX_use_PrivateKey(ctx_, key) != 1) {
      throw std::runtime_error("test client: bad client certificate");
    }
    X509_free(cert);
    EVP_PKEY_free(key);
  }
}

ClientTlsContext::~ClientTlsContext() { SSL_CTX_free(ctx_); }

HttpsConnection::HttpsConnection(const ClientTlsContext& ctx, std::string ip, uint16_t port, int timeout_ms)
    : ctx_(ctx), ip_(std::move(ip)), port_(port), timeout_ms_(timeout_ms) {}

HttpsConnection::~HttpsConnection() {
  close();
  if (session_) SSL_SESSION_free(session_);
}

void HttpsConnection::setTimeoutMs(int ms) {
  timeout_ms_ = ms;
  if (fd_ >= 0) {
    timeval tv{ms / 1000, (ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
}

void HttpsConnection::close() {
  if (ssl_) {
    // Without a close_notify OpenSSL marks the session not resumable.
    SSL_shutdown(ssl_);
    ERR_clear_error();
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  pending_.clear();
}

bool HttpsConnection::sessionReused() const { return ssl_ && SSL_session_reused(ssl_) == 1; }

std::string HttpsConnection::peerCommonName() const {
  if (!ssl_) return {};
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (!peer) return {};
  char buf[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf, sizeof buf);
  X509_free(peer);
  return buf;
}

std::string HttpsConnection::peerSubjectAltNames() const {
  if (!ssl_) return {};
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (!peer) return {};
  std::string out;
  const int idx = X509_get_ext_by_NID(peer, NID_subject_alt_name, -1);
  if (idx >= 0) {
    BIO* b = BIO_new(BIO_s_mem());
    X509V3_EXT_print(b, X509_get_ext(peer, idx), 0, 0);
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    out.assign(data, static_cast<size_t>(n));
    BIO_free(b);
  }
  X509_free(peer);
  return out;
}

bool HttpsConnection::connect() {
  if (ssl_) return true;
  error_.clear();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  setTimeoutMs(timeout_ms_);
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  inet_pton(AF_INET, ip_.c_str(), &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    error_ = std::string("connect: ") + std::strerror(errno);
    close();
    return false;
  }
  ssl_ = SSL_new(ctx_.get());
  SSL_set_fd(ssl_, fd_);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), ip_.c_str());
  SSL_set_alpn_protos(ssl_, reinterpret_cast<const unsigned char*>("\x08http/1.1"), 9);
  if (session_) SSL_set_session(ssl_, session_);
  if (SSL_connect(ssl_) != 1) {
    char buf[256] = {0};
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    error_ = std::string("tls: ") + buf;
    ERR_clear_error();
    close();
    return false;
  }
  return true;
}

bool HttpsConnection::readMore(std::string& buf) {
  char tmp[16384];
  size_t got = 0;
  if (SSL_read_ex(ssl_, tmp, sizeof tmp, &got) == 1) {
    buf.append(tmp, got);
    // TLS 1.3 tickets arrive after the handshake; keep the latest session for resumption.
    if (SSL_SESSION* s = SSL_get1_session(ssl_)) {
      if (session_) SSL_SESSION_free(session_);
      session_ = s;
    }
    return true;
  }
  const int err = SSL_get_error(ssl_, 0);
  error_ = err == SSL_ERROR_ZERO_RETURN ? "closed" : (errno == EAGAIN ? "timeout" : "eof");
  ERR_clear_error();
  return false;
}

HttpsResponse HttpsConnection::request(const std::string& method, const std::string& target, const std::string& token,
                                       const std::string& extra_headers, const std::string& body) {
  HttpsResponse resp;
  if (!connect()) {
    resp.error = error_;
    return resp;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: " + ip_ + ":" + std::to_string(port_) +
                    "\r\nUser-Agent: kmetrics-sim-test\r\nAccept: */*\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  req += extra_headers + "\r\n" + body;
  size_t written = 0;
  if (SSL_write_ex(ssl_, req.data(), req.size(), &written) != 1) {
    resp.error = "write failed";
    close();
    return resp;
  }
  if (half_close_) SSL_shutdown(ssl_);  // close_notify: nothing more from us
  std::string buf = std::move(pending_);
  pending_.clear();
  size_t head_end;
  // Bounded by the socket timeout: every iteration either reads or fails.
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (!readMore(buf)) {
      resp.error = error_;
      resp.body = buf;
      close();
      return resp;
    }
  }
  const std::string head = buf.substr(0, head_end);
  buf.erase(0, head_end + 4);
  resp.status = std::atoi(head.c_str() + head.find(' ') + 1);
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    const size_t next = head.find("\r\n", pos + 2);
    const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      resp.headers[name] = value;
    }
    pos = next;
  }
  const bool chunked = resp.headers.count("transfer-encoding") && resp.headers["transfer-encoding"] == "chunked";
  if (chunked) {
    std::string decoded;
    for (;;) {
      size_t eol;
      while ((eol = buf.find("\r\n")) == std::string::npos) {
        if (!readMore(buf)) {
          resp.body = decoded;
          resp.error = error_;
          close();
          return resp;
        }
      }
      const size_t size = std::stoul(buf.substr(0, eol), nullptr, 16);
      while (buf.size() < eol + 2 + size + 2) {
        if (!readMore(buf)) {
          decoded += buf.substr(std::min(buf.size(), eol + 2));
          resp.body = decoded;
          resp.error = error_;
          close();
          return resp;
        }
      }
      decoded.append(buf, eol + 2, size);
      buf.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
    resp.body = std::move(decoded);
  } else {
    const size_t len = resp.headers.count("content-length") ? std::stoul(resp.headers["content-length"]) : 0;
    while (buf.size() < len) {
      if (!readMore(buf)) {
        resp.body = buf;
        resp.error = error_;
        close();
        return resp;
      }
    }
    resp.body = buf.substr(0, len);
    buf.erase(0, len);
  }
  resp.complete = true;
  pending_ = std::move(buf);
  if (resp.headers.count("connection") && resp.headers["connection"] == "close") close();
  return resp;
}

}  // namespace kmetrics::sim::testing
