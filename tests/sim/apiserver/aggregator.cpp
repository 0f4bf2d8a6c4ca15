#include "apiserver/aggregator.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <istream>
#include <sstream>

#include "apiserver/http_util.hpp"
#include "apiserver/object_json.hpp"
#include "apiserver/tls.hpp"

namespace kmetrics::sim {
namespace {

constexpr size_t kMaxProxyBody = 64u << 20;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool isTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Go textproto.CanonicalMIMEHeaderKey.
std::string canonicalHeader(std::string s) {
  bool upper = true;
  for (auto& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    else if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    upper = c == '-';
  }
  return s;
}

// Hop-by-hop and identity headers the aggregator must not pass on.
bool dropRequestHeader(const std::string& name) {
  const std::string n = lower(name);
  return n == "authorization" || n == "host" || n == "connection" || n == "keep-alive" || n == "te" ||
         n == "trailer" || n == "transfer-encoding" || n == "upgrade" || n == "proxy-authorization" ||
         n == "content-length" || n.rfind("x-remote-", 0) == 0 || n.rfind("impersonate-", 0) == 0;
}

bool dropResponseHeader(const std::string& name) {
  const std::string n = lower(name);
  return n == "connection" || n == "keep-alive" || n == "transfer-encoding" || n == "content-length" ||
         n == "trailer" || n == "upgrade";
}

std::string readAll(std::istream& in, size_t limit) {
  std::string out;
  char buf[16384];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > limit) throw std::runtime_error("response too large");
  }
  return out;
}

std::unique_ptr<Poco::Net::HTTPSClientSession> session(const ApiServiceSpec& spec, const KeyPair& client,
                                                       int timeout_seconds) {
  Poco::URI uri(spec.backend_url);
  auto ctx = makeClientContext(spec.ca_bundle_pem, client.cert_pem, client.key_pem);
  auto s = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), ctx);
  s->setTimeout(Poco::Timespan(timeout_seconds, 0), Poco::Timespan(timeout_seconds, 0),
                Poco::Timespan(timeout_seconds, 0));
  s->setKeepAlive(false);
  return s;
}

int64_t nowUnix() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace

std::string remoteExtraHeaderName(const std::string& key) {
  static const char* hex = "0123456789ABCDEF";
  std::string escaped;
  for (unsigned char c : key) {
    if (isTokenChar(c) && c != '%') {
      escaped += static_cast<char>(c);
    } else {
      escaped += '%';
      escaped += hex[c >> 4];
      escaped += hex[c & 15];
    }
  }
  return canonicalHeader("X-Remote-Extra-" + escaped);
}

Aggregator::Aggregator(KeyPair front_proxy_client, int probe_interval_ms)
    : client_(std::move(front_proxy_client)), probe_interval_ms_(std::max(100, probe_interval_ms)) {}

Aggregator::~Aggregator() { stop(); }

void Aggregator::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Aggregator::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Aggregator::registerService(const ApiServiceSpec& spec) {
  {
    std::lock_guard lock(mu_);
    Entry e{spec, ApiServiceStatus{}};
    e.status.last_transition_unix = nowUnix();
    services_[spec.name] = std::move(e);
    probe_requested_ = true;
  }
  cv_.notify_all();
}

bool Aggregator::unregisterService(const std::string& name) {
  std::lock_guard lock(mu_);
  return services_.erase(name) != 0;
}

std::vector<Aggregator::Entry> Aggregator::services() const {
  std::lock_guard lock(mu_);
  std::vector<Entry> out;
  for (const auto& [_, e] : services_) out.push_back(e);
  return out;
}

std::optional<Aggregator::Entry> Aggregator::serviceFor(const std::string& group, const std::string& version) const {
  std::lock_guard lock(mu_);
  for (const auto& [_, e] : services_)
    if (e.spec.group == group && e.spec.version == version) return e;
  return std::nullopt;
}

std::optional<Aggregator::Entry> Aggregator::serviceForGroup(const std::string& group) const {
  std::lock_guard lock(mu_);
  for (const auto& [_, e] : services_)
    if (e.spec.group == group) return e;
  return std::nullopt;
}

ApiServiceStatus Aggregator::probe(const ApiServiceSpec& spec) const {
  // As remote_available_controller: GET /apis/<g>/<v> as system:kube-aggregator/system:masters,
  // no Accept header, 5 s timeout; any 2xx/3xx passes.
  const std::string url = spec.backend_url + "/apis/" + spec.group + "/" + spec.version;
  ApiServiceStatus st;
  try {
    auto s = session(spec, client_, 5);
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/apis/" + spec.group + "/" + spec.version,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("X-Remote-User", "system:kube-aggregator");
    req.add("X-Remote-Group", "system:masters");
    req.set("User-Agent", "kube-apiserver-sim/aggregator");
    s->sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& in = s->receiveResponse(resp);
    readAll(in, 1 << 20);
    const int code = resp.getStatus();
    if (code >= 200 && code < 400) {
      st.available = true;
      st.reason = "Passed";
      st.message = "all checks passed";
    } else {
      st.reason = "FailedDiscoveryCheck";
      st.message = "failing or missing response from " + url + ": bad status from " + url + ": " + std::to_string(code);
    }
  } catch (const Poco::TimeoutException&) {
    st.reason = "FailedDiscoveryCheck";
    st.message = "failing or missing response from " + url + ": timed out waiting for " + url;
  } catch (const Poco::Exception& e) {
    st.reason = "FailedDiscoveryCheck";
    st.message = "failing or missing response from " + url + ": " + e.displayText();
  } catch (const std::exception& e) {
    st.reason = "FailedDiscoveryCheck";
    st.message = "failing or missing response from " + url + ": " + e.what();
  }
  return st;
}

void Aggregator::probeAll() {
  std::vector<ApiServiceSpec> specs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [_, e] : services_) specs.push_back(e.spec);
  }
  for (const auto& spec : specs) {
    ApiServiceStatus st = probe(spec);
    std::lock_guard lock(mu_);
    auto it = services_.find(spec.name);
    if (it == services_.end() || it->second.spec.backend_url != spec.backend_url) continue;  // changed meanwhile
    ApiServiceStatus& cur = it->second.status;
    st.last_transition_unix = cur.available == st.available && cur.reason == st.reason ? cur.last_transition_unix
                                                                                     : nowUnix();
    st.probes = cur.probes + 1;
    cur = st;
  }
}

void Aggregator::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    probeAll();
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(probe_interval_ms_), [&] { return stopping_ || probe_requested_; });
    probe_requested_ = false;
  }
}

void Aggregator::proxy(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, const UserInfo& user,
                       const Entry& service, const std::string& path, const std::string& raw_query) {
  if (!service.status.available) {
    // kube-aggregator's own answer for an unavailable APIService (handler_proxy.go).
    sendText(resp, 503, "service unavailable\n");
    return;
  }
  std::string target = path;
  const std::string q = encodeQuerySorted(raw_query);
  if (!q.empty()) target += "?" + q;
  // Discovery (/apis/g/v) gets 5 s like the real proxy; everything else a bounded 60 s.
  const bool discovery = splitPath(path).size() == 3;
  try {
    std::string body;
    if (req.getMethod() != "GET" && req.getMethod() != "HEAD") body = readBody(req, kMaxProxyBody);
    auto s = session(service.spec, client_, discovery ? 5 : 60);
    Poco::Net::HTTPRequest out(req.getMethod(), target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : req) {
      if (!dropRequestHeader(k)) out.add(k, v);
    }
    out.set("X-Remote-User", user.name);
    for (const auto& g : user.groups) out.add("X-Remote-Group", g);
    for (const auto& [k, values] : user.extra)
      for (const auto& v : values) out.add(remoteExtraHeaderName(k), v);
    out.set("Audit-Id", Poco::UUIDGenerator::defaultGenerator().createRandom().toString());
    out.set("X-Forwarded-For", req.clientAddress().host().toString());
    if (!body.empty() || req.getMethod() == "POST" || req.getMethod() == "PUT" || req.getMethod() == "PATCH")
      out.setContentLength(static_cast<std::streamsize>(body.size()));
    s->sendRequest(out).write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse in_resp;
    std::istream& in = s->receiveResponse(in_resp);
    const std::string rbody = readAll(in, kMaxProxyBody);
    resp.setStatusAndReason(in_resp.getStatus(), in_resp.getReason());
    for (const auto& [k, v] : in_resp) {
      if (!dropResponseHeader(k)) resp.add(k, v);
    }
    resp.setContentLength(static_cast<std::streamsize>(rbody.size()));
    resp.send().write(rbody.data(), static_cast<std::streamsize>(rbody.size()));
  } catch (const Poco::Exception& e) {
    // What the real proxy's error responder produces when the backend cannot be reached.
    if (!resp.sent()) sendText(resp, 503, "error trying to reach service: " + e.displayText() + "\n");
  } catch (const std::exception& e) {
    if (!resp.sent()) sendText(resp, 503, "error trying to reach service: " + std::string(e.what()) + "\n");
  }
}

std::string Aggregator::apiServiceJson(const Entry& e) const {
  Json spec{{"group", e.spec.group}, {"version", e.spec.version}, {"groupPriorityMinimum", 100},
            {"versionPriority", 100}, {"service", {{"name", "kmetrics"}, {"namespace", "kube-system"}, {"port", 443}}}};
  if (e.spec.ca_bundle_pem.empty()) spec["insecureSkipTLSVerify"] = true;
  Json cond{{"type", "Available"}, {"status", e.status.available ? "True" : "False"},
            {"lastTransitionTime", rfc3339(e.status.last_transition_unix * 1'000'000'000)},
            {"reason", e.status.reason}, {"message", e.status.message}};
  Json j{{"kind", "APIService"},
         {"apiVersion", "apiregistration.k8s.io/v1"},
         {"metadata", {{"name", e.spec.name}, {"creationTimestamp", rfc3339(e.status.last_transition_unix * 1'000'000'000)}}},
         {"spec", spec},
         {"status", {{"conditions", Json::array({cond})}}}};
  return j.dump();
}

}  // namespace kmetrics::sim
