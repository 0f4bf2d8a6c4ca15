// Test-only fake Kubernetes API server (HTTPS on 127.0.0.1) for nodes and pods: paged lists,
// watches with resourceVersion (chunked JSON lines), the status.phase=Running field selector
// (a pod leaving Running is sent as DELETED, like the watch cache does), bookmarks, injected
// 410 Gone ERROR events, compaction and abrupt connection drops. Records the Authorization header.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/testing/test_server.hpp"

namespace kmetrics::cluster::testing {

class FakeApiServer {
 public:
  FakeApiServer(const std::string& cert_path, const std::string& key_path);
  ~FakeApiServer();

  std::string url() const { return server_->base_url(); }

  // Mutations: each gets the next resourceVersion and an event for open watches.
  void upsert_node(nlohmann::json node);
  void delete_node(const std::string& name);
  void upsert_pod(nlohmann::json pod);
  void delete_pod(const std::string& ns, const std::string& name);
  void bookmark();  // a BOOKMARK event on every watch

  // Every open watch receives an ERROR event with code 410 and ends; watches from an older
  // resourceVersion are refused with 410 from now on (history compacted).
  void gone();
  // Every open watch connection is cut without a proper end of stream.
  void drop_watches();
  // The next `n` requests of any kind are answered 500.
  void fail_next(int n);

  int lists(const std::string& kind) const;    // "nodes" | "pods" (one per page)
  int watches(const std::string& kind) const;
  std::string last_authorization() const;

 private:
  struct Event {
    int64_t rv;
    std::string kind, type;
    nlohmann::json object;
  };
  void handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);
  void record(const std::string& kind, const std::string& type, nlohmann::json& object);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t rv_ = 100;
  int64_t compacted_ = 0;
  std::map<std::string, nlohmann::json> nodes_, pods_;
  std::vector<Event> log_;
  int gone_gen_ = 0, drop_gen_ = 0, fail_next_ = 0;
  std::map<std::string, int> lists_, watches_;
  std::string authorization_;
  std::unique_ptr<http::testing::TestServer> server_;
};

}  // namespace kmetrics::cluster::testing
