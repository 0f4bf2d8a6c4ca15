#include "cluster/fake_apiserver.hpp"

#include <sys/socket.h>

#include <chrono>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/URI.h>

namespace kmetrics::cluster::testing {

using nlohmann::json;

FakeApiServer::FakeApiServer(const std::string& cert_path, const std::string& key_path) {
  http::testing::TestServer::Options o;
  o.cert_path = cert_path;
  o.key_path = key_path;
  server_ = std::make_unique<http::testing::TestServer>(o, [this](auto& req, auto& resp) { handle(req, resp); });
}

FakeApiServer::~FakeApiServer() {
  {
    std::lock_guard lock(mu_);
    ++drop_gen_;
  }
  cv_.notify_all();
  server_->stop();
}

void FakeApiServer::record(const std::string& kind, const std::string& type, json& object) {
  object["metadata"]["resourceVersion"] = std::to_string(++rv_);
  log_.push_back({rv_, kind, type, object});
}

void FakeApiServer::upsert_node(json node) {
  {
    std::lock_guard lock(mu_);
    std::string name = node["metadata"]["name"];
    bool exists = nodes_.count(name) != 0;
    record("nodes", exists ? "MODIFIED" : "ADDED", node);
    nodes_[name] = node;
  }
  cv_.notify_all();
}

void FakeApiServer::delete_node(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(name);
    if (it == nodes_.end()) return;
    json obj = it->second;
    nodes_.erase(it);
    record("nodes", "DELETED", obj);
  }
  cv_.notify_all();
}

void FakeApiServer::upsert_pod(json pod) {
  {
    std::lock_guard lock(mu_);
    std::string key = pod["metadata"]["namespace"].get<std::string>() + "/" + pod["metadata"]["name"].get<std::string>();
    bool exists = pods_.count(key) != 0;
    record("pods", exists ? "MODIFIED" : "ADDED", pod);
    pods_[key] = pod;
  }
  cv_.notify_all();
}

void FakeApiServer::delete_pod(const std::string& ns, const std::string& name) {
  {
    std::lock_guard lock(mu_);
    auto it = pods_.find(ns + "/" + name);
    if (it == pods_.end()) return;
    json obj = it->second;
    pods_.erase(it);
    record("pods", "DELETED", obj);
  }
  cv_.notify_all();
}

void FakeApiServer::bookmark() {
  {
    std::lock_guard lock(mu_);
    json obj = {{"metadata", {{"resourceVersion", ""}}}};
    ++rv_;
    obj["metadata"]["resourceVersion"] = std::to_string(rv_);
    log_.push_back({rv_, "nodes", "BOOKMARK", obj});
    log_.push_back({rv_, "pods", "BOOKMARK", obj});
  }
  cv_.notify_all();
}

void FakeApiServer::gone() {
  {
    std::lock_guard lock(mu_);
    ++gone_gen_;
    compacted_ = rv_;
  }
  cv_.notify_all();
}

void FakeApiServer::drop_watches() {
  {
    std::lock_guard lock(mu_);
    ++drop_gen_;
  }
  cv_.notify_all();
}

void FakeApiServer::fail_next(int n) {
  std::lock_guard lock(mu_);
  fail_next_ = n;
}

int FakeApiServer::lists(const std::string& kind) const {
  std::lock_guard lock(mu_);
  auto it = lists_.find(kind);
  return it == lists_.end() ? 0 : it->second;
}

int FakeApiServer::watches(const std::string& kind) const {
  std::lock_guard lock(mu_);
  auto it = watches_.find(kind);
  return it == watches_.end() ? 0 : it->second;
}

std::string FakeApiServer::last_authorization() const {
  std::lock_guard lock(mu_);
  return authorization_;
}

namespace {
bool running(const json& pod) { return pod.value("status", json::object()).value("phase", "") == "Running"; }

void write_json(Poco::Net::HTTPServerResponse& resp, int status, const json& body) {
  std::string s = body.dump();
  resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  resp.setContentType("application/json");
  resp.setContentLength64(static_cast<Poco::Int64>(s.size()));
  resp.send() << s;
}

json status_body(int code, const std::string& reason, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"}, {"message", message},
          {"reason", reason}, {"code", code}};
}
}  // namespace

void FakeApiServer::handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
  Poco::URI uri(req.getURI());
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : uri.getQueryParameters()) q[k] = v;
  std::string kind = uri.getPath() == "/api/v1/nodes" ? "nodes" : uri.getPath() == "/api/v1/pods" ? "pods" : "";
  bool fail = false;
  {
    std::lock_guard lock(mu_);
    authorization_ = req.get("Authorization", "");
    if (fail_next_ > 0) {
      --fail_next_;
      fail = true;
    }
  }
  if (fail) {
    write_json(resp, 500, status_body(500, "InternalError", "injected failure"));
    return;
  }
  if (kind.empty()) {
    write_json(resp, 404, status_body(404, "NotFound", "the server could not find the requested resource"));
    return;
  }
  bool pods = kind == "pods";
  bool only_running = pods && q["fieldSelector"] == "status.phase=Running";

  if (q["watch"] != "1" && q["watch"] != "true") {
    json body;
    {
      std::lock_guard lock(mu_);
      ++lists_[kind];
      const auto& all = pods ? pods_ : nodes_;
      std::vector<json> items;
      for (const auto& [k, v] : all) {
        if (!only_running || running(v)) items.push_back(v);
      }
      // continue = "<offset>:<rv of the first page>": every page reports the first page's
      // resourceVersion, as a real server serving the list from one consistent snapshot does (later
      // changes that show up in later pages are replayed by the watch, which is idempotent).
      size_t offset = 0;
      int64_t list_rv = rv_;
      if (q.count("continue")) {
        auto colon = q["continue"].find(':');
        offset = std::stoul(q["continue"].substr(0, colon));
        list_rv = std::stoll(q["continue"].substr(colon + 1));
      }
      size_t limit = q.count("limit") ? std::stoul(q["limit"]) : items.size();
      json page = json::array();
      for (size_t i = offset; i < items.size() && i < offset + limit; ++i) page.push_back(items[i]);
      body = {{"kind", pods ? "PodList" : "NodeList"}, {"apiVersion", "v1"},
              {"metadata", {{"resourceVersion", std::to_string(list_rv)}}}, {"items", page}};
      if (offset + limit < items.size()) {
        body["metadata"]["continue"] = std::to_string(offset + limit) + ":" + std::to_string(list_rv);
      }
    }
    write_json(resp, 200, body);
    return;
  }

  int64_t since = q.count("resourceVersion") && !q["resourceVersion"].empty() ? std::stoll(q["resourceVersion"]) : 0;
  int timeout_s = q.count("timeoutSeconds") ? std::stoi(q["timeoutSeconds"]) : 300;
  int gone_gen, drop_gen;
  size_t pos = 0;
  bool too_old;
  {
    std::lock_guard lock(mu_);
    ++watches_[kind];
    gone_gen = gone_gen_;
    drop_gen = drop_gen_;
    too_old = since < compacted_;
    while (pos < log_.size() && log_[pos].rv <= since) ++pos;
  }
  resp.setChunkedTransferEncoding(true);
  resp.setContentType("application/json");
  std::ostream& out = resp.send();
  auto gone_event = json{{"type", "ERROR"},
                         {"object", status_body(410, "Expired", "too old resource version: " + std::to_string(since))}};
  if (too_old) {
    out << gone_event.dump() << "\n" << std::flush;
    return;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  std::unique_lock lock(mu_);
  while (!server_->stopping() && std::chrono::steady_clock::now() < deadline) {
    std::vector<json> batch;
    for (; pos < log_.size(); ++pos) {
      const Event& e = log_[pos];
      if (e.kind != kind) continue;
      std::string type = e.type;
      if (only_running && type != "DELETED" && type != "BOOKMARK" && !running(e.object)) type = "DELETED";
      batch.push_back(json{{"type", type}, {"object", e.object}});
    }
    bool gone = gone_gen_ != gone_gen;
    bool drop = drop_gen_ != drop_gen;
    lock.unlock();
    for (const auto& ev : batch) out << ev.dump() << "\n";
    out << std::flush;
    if (gone) {
      out << gone_event.dump() << "\n" << std::flush;
      return;
    }
    if (drop) {
      auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(req);
      ::shutdown(impl.session().socket().impl()->sockfd(), SHUT_RDWR);  // abrupt: no final chunk
      return;
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

}  // namespace kmetrics::cluster::testing
