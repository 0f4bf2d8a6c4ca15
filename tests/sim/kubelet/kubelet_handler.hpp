// Turns one parsed request to one node into the bytes to send: authentication, routing, fault
// injection and payload encoding. No I/O, so it is tested without sockets.
#pragma once

#include <cstdint>
#include <string>

#include "cluster/cluster_state.hpp"
#include "kubelet/fleet_model.hpp"
#include "kubelet/http_request_parser.hpp"

namespace kmetrics::sim {

struct AuthConfig {
  std::string accepted_token;   // empty: everyone is authenticated
  std::string forbidden_token;  // authenticated, then denied (403)
};

struct PreparedResponse {
  bool hang = false;        // never answer (fault "hang")
  uint32_t delay_ms = 0;    // send `bytes` after this long (fault "slow")
  std::string bytes;        // status line, headers, body
  bool close_after = false; // close once sent (Connection: close, HTTP/1.0, truncated, errors)
  bool abort_after = false; // close without TLS close_notify (fault "truncated")
};

struct RequestContext {
  const std::string& node_name;
  const HttpRequest& request;
  const std::string& client_cert_cn;  // verified client certificate CN, or empty
  UnixNanos now;
  uint64_t request_seq;  // seeds garbage bytes
};

class KubeletHandler {
 public:
  KubeletHandler(ClusterState& state, FleetModel& model, AuthConfig auth);
  // `scratch` is a reusable body buffer (cleared here).
  void prepare(const RequestContext& ctx, PreparedResponse& out, std::string& scratch) const;

 private:
  ClusterState& state_;
  FleetModel& model_;
  AuthConfig auth_;
};

// Response for a request that could not be parsed (400/413/431), always closing.
void prepareErrorResponse(int status, UnixNanos now, PreparedResponse& out);

}  // namespace kmetrics::sim
