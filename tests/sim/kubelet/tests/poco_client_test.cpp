// A third-party client (Poco HTTPSClientSession) against the simulated kubelets: certificate
// verification by IP, bearer token, chunked bodies, keep-alive across requests. (kmetrics' own kubelet
// client, host/src/http/direct_*.cpp, meets them in the end-to-end tests.)
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "kubelet/kubelet_fleet.hpp"

namespace kmetrics::sim {
namespace {

UnixNanos now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(KubeletFleetPocoClient, KeepAliveChunkedAndVerified) {
  ClusterState state(now());
  ClusterSpec spec;
  spec.nodes = 2;
  spec.pods_per_node = 10;
  spec.kubelet_port = static_cast<uint16_t>(30000 + (getpid() + 7) % 20000);
  spec.address_base = 210;
  state.populate(spec, now());
  const CertificateAuthority ca = CertificateAuthority::create("kubelet-ca");
  FleetOptions opts;
  opts.accepted_token = "t";
  KubeletFleet fleet(state, ca, opts);
  fleet.start();

  const std::string ca_file = "/tmp/sim-kubelet-poco-ca-" + std::to_string(getpid()) + ".pem";
  std::ofstream(ca_file) << ca.certPem();
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file,
                                                       Poco::Net::Context::VERIFY_STRICT, 9, false);
  for (const Node& n : state.nodes()) {
    Poco::Net::HTTPSClientSession session(n.internal_ip, n.kubelet_port, ctx);
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(5, 0));
    for (const char* path : {"/metrics/resource", "/stats/summary?only_cpu_and_memory=true", "/healthz",
                             "/metrics/resource"}) {
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
      req.set("Authorization", "Bearer t");
      req.setKeepAlive(true);
      session.sendRequest(req);
      Poco::Net::HTTPResponse resp;
      std::istream& body = session.receiveResponse(resp);
      std::ostringstream out;
      Poco::StreamCopier::copyStream(body, out);
      EXPECT_EQ(resp.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << path;
      if (std::string(path) == "/metrics/resource") {
        EXPECT_TRUE(resp.getChunkedTransferEncoding());
        EXPECT_NE(out.str().find("\nresource_scrape_error 0\n"), std::string::npos);
      }
    }
  }
  EXPECT_EQ(fleet.stats().connections_accepted, 2u);  // one per node, reused for four requests
  fleet.stop();
  std::remove(ca_file.c_str());
}

}  // namespace
}  // namespace kmetrics::sim
