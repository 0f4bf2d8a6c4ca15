// Internal: the state every request handler of the simulated apiserver shares, and the per-request
// context. Not part of the public API (apiserver.hpp).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "apiserver/aggregator.hpp"
#include "apiserver/apiserver.hpp"
#include "apiserver/auth.hpp"
#include "apiserver/object_json.hpp"
#include "apiserver/object_store.hpp"

namespace kmetrics::sim {

struct ServerCore {
  ServerCore(ClusterState& s, ApiServerConfig c);

  ClusterState& state;
  ApiServerConfig config;
  ObjectStore store;
  Authenticator authn;
  Authorizer authz;
  Aggregator aggregator;
  std::atomic<bool> stopping{false};

  std::mutex mu;  // guards the fields below
  std::string heapster_backend;
  // One-shot expiry per resource ("nodes", "pods"): the next watch with a resourceVersion fails.
  std::map<std::string, bool> expire_pending;  // value: answer with HTTP 410 instead of an ERROR event
  uint64_t watch_generation = 0;               // bumped to end every open watch
  std::atomic<int> open_watches{0};
};

struct RequestCtx {
  Poco::Net::HTTPServerRequest& req;
  Poco::Net::HTTPServerResponse& resp;
  std::string method;
  std::string path;       // decoded-by-segment path without query
  std::string raw_query;  // as received
  std::map<std::string, std::string> query;
  std::vector<std::string> segments;
  std::string accept;
  UserInfo user;  // authenticated caller
};

// Handlers. Each assumes authentication succeeded; resource handlers authorize themselves.
bool authorizeOrForbid(ServerCore& core, RequestCtx& ctx, const RequestAttributes& a);

void handleDiscovery(ServerCore& core, RequestCtx& ctx);  // /version /api /api/v1 /apis /apis/g[/v]
bool isDiscoveryPath(const RequestCtx& ctx);

void handleCore(ServerCore& core, RequestCtx& ctx);  // /api/v1/...
void handleWatch(ServerCore& core, RequestCtx& ctx, const std::string& resource, const std::string& ns);
void handleReviews(ServerCore& core, RequestCtx& ctx);  // tokenreviews, subjectaccessreviews
void handleApiServices(ServerCore& core, RequestCtx& ctx);  // /apis/apiregistration.k8s.io/v1/apiservices
void handleServiceProxy(ServerCore& core, RequestCtx& ctx, const std::string& service, size_t rest_index);
void handleControl(ServerCore& core, RequestCtx& ctx);  // /sim/...

// kube-system/extension-apiserver-authentication as a ConfigMap object.
Json authConfigMapJson(ServerCore& core);

}  // namespace kmetrics::sim
