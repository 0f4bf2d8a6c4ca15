// kmetrics_api_load: a small HTTPS load client for kmetrics' secure port (the metrics API).
//
// It talks to kmetrics exactly as kube-apiserver's aggregator does: mutual TLS with a client
// certificate (the simulator's front-proxy-client.crt, CN "aggregator") plus X-Remote-User /
// X-Remote-Group headers, HTTP/1.1 keep-alive connections. The serving certificate is not
// verified (the APIService uses insecureSkipTLSVerify, like metrics-server's components.yaml).
//
// Two modes:
//   sequential:  --requests N            N requests one after the other on one connection
//   open loop:   --rate R --duration S   R requests/s for S seconds, spread over --connections C
//                                        keep-alive connections (one thread each). Request i is
//                                        scheduled at t0 + i/R; latency is measured from the
//                                        scheduled time (so a stalled server cannot hide its
//                                        queueing: no coordinated omission), service time from
//                                        the moment the request was written.
// Output: one line of key=value pairs (times in milliseconds), parsed by scripts/bench.sh.
//
//   kmetrics_api_load --port 8443 --cert front-proxy-client.crt --key front-proxy-client.key
//       -H 'X-Remote-User: admin' -H 'X-Remote-Group: system:masters'
//       --path '/apis/metrics.k8s.io/v1beta1/pods' --requests 20
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string cert, key;
  std::vector<std::string> headers;
  std::string path = "/apis/metrics.k8s.io/v1beta1/pods";
  int requests = 0;
  double rate = 0;
  double duration = 10;
  int connections = 16;
  int warmup = 1;
  bool count_items = false;
};

[[noreturn]] void die(const std::string& msg) {
  std::cerr << "kmetrics_api_load: " << msg << "\n";
  std::exit(2);
}

void usage() {
  std::cerr << "usage: kmetrics_api_load --port P --cert F --key F [-H 'Name: value']... [--host 127.0.0.1]\n"
               "         [--path /apis/...] (--requests N | --rate R [--duration S] [--connections C])\n"
               "         [--warmup N] [--count-items]\n";
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto v = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--host") o.host = v();
    else if (a == "--port") o.port = std::stoi(v());
    else if (a == "--cert") o.cert = v();
    else if (a == "--key") o.key = v();
    else if (a == "-H" || a == "--header") o.headers.push_back(v());
    else if (a == "--path") o.path = v();
    else if (a == "--requests") o.requests = std::stoi(v());
    else if (a == "--rate") o.rate = std::stod(v());
    else if (a == "--duration") o.duration = std::stod(v());
    else if (a == "--connections") o.connections = std::stoi(v());
    else if (a == "--warmup") o.warmup = std::stoi(v());
    else if (a == "--count-items") o.count_items = true;
    else if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else {
      usage();
      die("unknown flag " + a);
    }
  }
  if (o.port <= 0) die("--port is required");
  if ((o.requests > 0) == (o.rate > 0)) die("give exactly one of --requests N and --rate R");
  if (o.connections < 1) o.connections = 1;
  return o;
}

std::string sslError() {
  const unsigned long e = ERR_get_error();
  if (e == 0) return "ssl error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// One keep-alive HTTPS connection; reconnects on demand.
class Connection {
 public:
  Connection(SSL_CTX* ctx, const Options& o) : ctx_(ctx), o_(o) {}
  ~Connection() { close(); }

  void close() {
    if (ssl_ != nullptr) {
      SSL_free(ssl_);
      ssl_ = nullptr;
    }
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  // Sends one GET and reads the whole response. Returns the HTTP status, or -1 on a transport error
  // (then `error` says why and the connection is closed).
  int get(const std::string& request, std::string& body, std::string& error) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = ssl_ != nullptr;
      if (!reused && !connect(error)) return -1;
      if (!writeAll(request)) {
        close();
        if (reused) continue;  // the server closed an idle connection: retry once on a new one
        error = "write failed";
        return -1;
      }
      const int status = readResponse(body, error);
      if (status < 0) {
        close();
        if (reused && error == "eof before status") continue;
        return -1;
      }
      return status;
    }
    error = "connection closed twice";
    return -1;
  }

 private:
  bool connect(std::string& error) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
      error = "socket: " + std::string(strerror(errno));
      return false;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(o_.port));
    if (inet_pton(AF_INET, o_.host.c_str(), &addr.sin_addr) != 1) die("--host must be an IPv4 address");
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error = "connect: " + std::string(strerror(errno));
      close();
      return false;
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "localhost");
    if (SSL_connect(ssl_) != 1) {
      error = "tls handshake: " + sslError();
      close();
      return false;
    }
    rbuf_.clear();
    rpos_ = 0;
    return true;
  }

  bool writeAll(const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      const int n = SSL_write(ssl_, s.data() + off, static_cast<int>(s.size() - off));
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  // Makes at least one more byte available in rbuf_; false on EOF/error.
  bool fill() {
    if (rpos_ > 0 && rpos_ == rbuf_.size()) {
      rbuf_.clear();
      rpos_ = 0;
    }
    char buf[65536];
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) return false;
    rbuf_.append(buf, static_cast<size_t>(n));
    return true;
  }

  bool readLine(std::string& line) {
    for (;;) {
      const size_t nl = rbuf_.find("\r\n", rpos_);
      if (nl != std::string::npos) {
        line.assign(rbuf_, rpos_, nl - rpos_);
        rpos_ = nl + 2;
        return true;
      }
      if (!fill()) return false;
    }
  }

  bool readN(size_t n, std::string& out) {
    while (rbuf_.size() - rpos_ < n) {
      if (!fill()) return false;
    }
    out.append(rbuf_, rpos_, n);
    rpos_ += n;
    return true;
  }

  int readResponse(std::string& body, std::string& error) {
    body.clear();
    std::string line;
    if (!readLine(line)) {
      error = "eof before status";
      return -1;
    }
    if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0) {
      error = "bad status line";
      return -1;
    }
    const int status = std::atoi(line.c_str() + 9);
    std::optional<size_t> length;
    bool chunked = false, close_after = false;
    for (;;) {
      if (!readLine(line)) {
        error = "eof in headers";
        return -1;
      }
      if (line.empty()) break;
      std::string lower = line;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.rfind("content-length:", 0) == 0) length = std::strtoull(lower.c_str() + 15, nullptr, 10);
      else if (lower.rfind("transfer-encoding:", 0) == 0 && lower.find("chunked") != std::string::npos) chunked = true;
      else if (lower.rfind("connection:", 0) == 0 && lower.find("close") != std::string::npos) close_after = true;
    }
    if (chunked) {
      for (;;) {
        if (!readLine(line)) {
          error = "eof in chunk size";
          return -1;
        }
        const size_t n = std::strtoull(line.c_str(), nullptr, 16);
        if (n == 0) {
          while (readLine(line) && !line.empty()) {
          }
          break;
        }
        if (!readN(n, body) || !readLine(line)) {
          error = "eof in chunk";
          return -1;
        }
      }
    } else if (length) {
      if (!readN(*length, body)) {
        error = "eof in body";
        return -1;
      }
    } else {
      while (fill()) {
      }
      body.append(rbuf_, rpos_, std::string::npos);
      close_after = true;
    }
    if (close_after) close();
    return status;
  }

  SSL_CTX* ctx_;
  const Options& o_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string rbuf_;
  size_t rpos_ = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t idx = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  return v[std::min(idx, v.size() - 1)];
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Items in a PodMetricsList/NodeMetricsList: every item has exactly one "window" field.
size_t countItems(const std::string& body) {
  size_t n = 0;
  for (size_t p = body.find("\"window\""); p != std::string::npos; p = body.find("\"window\"", p + 1)) ++n;
  return n;
}

struct Result {
  std::vector<double> latency_ms, service_ms;
  size_t errors = 0, non2xx = 0, bytes = 0, items = 0;
  std::string first_error;
  int last_status = 0;
};

void record(Result& r, int status, const std::string& body, const std::string& error, const Options& o) {
  if (status < 0) {
    ++r.errors;
    if (r.first_error.empty()) r.first_error = error;
    return;
  }
  r.last_status = status;
  if (status < 200 || status > 299) {
    ++r.non2xx;
    if (r.first_error.empty()) r.first_error = "HTTP " + std::to_string(status) + ": " + body.substr(0, 200);
  }
  r.bytes = body.size();
  if (o.count_items) r.items = countItems(body);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (!o.cert.empty() && SSL_CTX_use_certificate_chain_file(ctx, o.cert.c_str()) != 1) die("cert: " + sslError());
  if (!o.key.empty() && SSL_CTX_use_PrivateKey_file(ctx, o.key.c_str(), SSL_FILETYPE_PEM) != 1) die("key: " + sslError());

  std::string request = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
                        "\r\nAccept: application/json\r\nUser-Agent: kmetrics_api_load\r\n";
  for (const auto& h : o.headers) request += h + "\r\n";
  request += "\r\n";

  Result total;
  Clock::time_point t0, t1;
  if (o.requests > 0) {
    Connection c(ctx, o);
    std::string body, error;
    for (int i = 0; i < o.warmup; ++i) c.get(request, body, error);
    t0 = Clock::now();
    for (int i = 0; i < o.requests; ++i) {
      const auto s = Clock::now();
      const int status = c.get(request, body, error);
      const double d = ms(Clock::now() - s);
      record(total, status, body, error, o);
      if (status >= 0) {
        total.latency_ms.push_back(d);
        total.service_ms.push_back(d);
      }
    }
    t1 = Clock::now();
  } else {
    const auto slots = static_cast<uint64_t>(o.rate * o.duration);
    const auto interval = std::chrono::duration<double>(1.0 / o.rate);
    std::atomic<uint64_t> next{0};
    std::mutex mu;
    std::vector<std::thread> threads;
    std::vector<std::unique_ptr<Connection>> conns;
    // Open (and warm) every connection before the clock starts.
    for (int i = 0; i < o.connections; ++i) {
      conns.push_back(std::make_unique<Connection>(ctx, o));
      std::string body, error;
      for (int w = 0; w < o.warmup; ++w) conns.back()->get(request, body, error);
    }
    t0 = Clock::now() + std::chrono::milliseconds(50);
    for (int i = 0; i < o.connections; ++i) {
      threads.emplace_back([&, i] {
        Result mine;
        std::string body, error;
        for (;;) {
          const uint64_t slot = next.fetch_add(1);
          if (slot >= slots) break;
          const auto scheduled = t0 + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(slot));
          std::this_thread::sleep_until(scheduled);
          const auto sent = Clock::now();
          const int status = conns[static_cast<size_t>(i)]->get(request, body, error);
          const auto done = Clock::now();
          record(mine, status, body, error, o);
          if (status >= 0) {
            mine.latency_ms.push_back(ms(done - scheduled));
            mine.service_ms.push_back(ms(done - sent));
          }
        }
        std::lock_guard lock(mu);
        total.latency_ms.insert(total.latency_ms.end(), mine.latency_ms.begin(), mine.latency_ms.end());
        total.service_ms.insert(total.service_ms.end(), mine.service_ms.begin(), mine.service_ms.end());
        total.errors += mine.errors;
        total.non2xx += mine.non2xx;
        if (mine.bytes) total.bytes = mine.bytes;
        if (mine.items) total.items = mine.items;
        if (mine.last_status) total.last_status = mine.last_status;
        if (total.first_error.empty()) total.first_error = mine.first_error;
      });
    }
    for (auto& t : threads) t.join();
    t1 = Clock::now();
  }

  const double secs = std::chrono::duration<double>(t1 - t0).count();
  const size_t n = total.latency_ms.size();
  double sum = 0;
  for (double d : total.latency_ms) sum += d;
  std::printf(
      "requests=%zu ok_2xx=%zu errors=%zu non2xx=%zu seconds=%.3f achieved_rps=%.1f "
      "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f "
      "service_p50_ms=%.3f service_p99_ms=%.3f service_max_ms=%.3f bytes=%zu items=%zu status=%d\n",
      n + total.errors, n - total.non2xx, total.errors, total.non2xx, secs, secs > 0 ? static_cast<double>(n) / secs : 0,
      percentile(total.latency_ms, 50), percentile(total.latency_ms, 90), percentile(total.latency_ms, 99),
      percentile(total.latency_ms, 100), n ? sum / static_cast<double>(n) : 0, percentile(total.service_ms, 50),
      percentile(total.service_ms, 99), percentile(total.service_ms, 100), total.bytes, total.items, total.last_status);
  if (!total.first_error.empty()) std::fprintf(stderr, "kmetrics_api_load: first error: %s\n", total.first_error.c_str());
  SSL_CTX_free(ctx);
  return (total.errors == 0 && total.non2xx == 0) ? 0 : 1;
}
