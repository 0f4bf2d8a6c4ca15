// Scale run for the simulated kubelets: N nodes x P pods, every node's /metrics/resource scraped once
// per round by a bounded pool of client threads (blocking OpenSSL, keep-alive, one connection per
// node kept across rounds, like kmetrics). Prints setup cost, per-round wall time, the fleet's own
// CPU (its event-loop threads, measured by the threads themselves) and the client's share.
//
//   sim_kubelet_bench [--nodes 5000] [--pods 30] [--concurrency 64] [--threads 1] [--rounds 3]
//                     [--port 20250] [--path /metrics/resource]
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster/cluster_state.hpp"
#include "https_test_client.hpp"
#include "kubelet/kubelet_fleet.hpp"

using namespace kmetrics::sim;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double processCpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long rssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  }
  return -1;
}

UnixNanos wall() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  int nodes = 5000, pods = 30, concurrency = 64, threads = 1, rounds = 3, port = 20250;
  std::string path = "/metrics/resource";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const char* v = argv[i + 1];
    if (a == "--nodes") nodes = std::atoi(v);
    else if (a == "--pods") pods = std::atoi(v);
    else if (a == "--concurrency") concurrency = std::atoi(v);
    else if (a == "--threads") threads = std::atoi(v);
    else if (a == "--rounds") rounds = std::atoi(v);
    else if (a == "--port") port = std::atoi(v);
    else if (a == "--path") path = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }

  const auto t_setup = Clock::now();
  ClusterState state(wall());
  ClusterSpec spec;
  spec.nodes = nodes;
  spec.pods_per_node = pods;
  spec.kubelet_port = static_cast<uint16_t>(port);
  state.populate(spec, wall());
  const double populate_s = seconds(Clock::now() - t_setup);
  const long rss_populated = rssMiB();

  const CertificateAuthority ca = CertificateAuthority::create("kubelet-ca");
  FleetOptions opts;
  opts.accepted_token = "bench-token";
  opts.threads = threads;
  KubeletFleet fleet(state, ca, opts);
  const auto t_start = Clock::now();
  fleet.start();
  const double start_s = seconds(Clock::now() - t_start);
  const FleetStats s0 = fleet.stats();

  std::printf("sim_kubelet_bench: %d nodes x %d pods, %d client connections in flight, %d fleet loop thread(s)\n",
              nodes, pods, concurrency, threads);
  std::printf("%-34s %10.2f s\n", "cluster populate", populate_s);
  std::printf("%-34s %10ld MiB\n", "RSS after populate (ClusterState)", rss_populated);
  std::printf("%-34s %10.2f s\n", "fleet start (total)", start_s);
  std::printf("%-34s %10.2f s  (%.0f us/node, EC P-256)\n", "  of which certificate issuance", s0.cert_issue_seconds,
              s0.cert_issue_seconds * 1e6 / nodes);
  std::printf("%-34s %10ld MiB\n", "RSS after start", rssMiB());

  std::vector<Node> all = state.nodes();
  testing::ClientTlsContext tls(ca.certPem());
  std::vector<std::unique_ptr<testing::HttpsConnection>> conns(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    conns[i] = std::make_unique<testing::HttpsConnection>(tls, all[i].internal_ip, all[i].kubelet_port, 10'000);
  }

  std::printf("\n%-6s %-22s %9s %9s %11s %11s %11s %9s %8s\n", "round", "connections", "wall s", "fails", "bytes MiB",
              "fleet CPU s", "client CPU s", "us/req*", "RSS MiB");
  for (int round = 1; round <= rounds; ++round) {
    // Round 1: new TCP + full TLS handshakes; round 2+: keep-alive reuse; last round (if >= 3):
    // reconnect with TLS session resumption.
    const bool reconnect = rounds >= 3 && round == rounds;
    if (reconnect) {
      for (auto& c : conns) c->close();
    }
    std::atomic<size_t> next{0}, fails{0}, bytes{0};
    const FleetStats before = fleet.stats();
    const double cpu_before = processCpu();
    const auto t0 = Clock::now();
    std::vector<std::thread> workers;
    for (int w = 0; w < concurrency; ++w) {
      workers.emplace_back([&] {
        // Bounded: each iteration takes a distinct node index.
        for (size_t i = next++; i < conns.size(); i = next++) {
          const testing::HttpsResponse r = conns[i]->request("GET", path, "bench-token");
          if (r.status != 200 || !r.complete || r.body.find("resource_scrape_error 0") == std::string::npos) {
            if (fails++ < 3) std::fprintf(stderr, "node %zu: status %d %s\n", i, r.status, r.error.c_str());
          }
          bytes += r.body.size();
        }
      });
    }
    for (auto& t : workers) t.join();
    const double wall_s = seconds(Clock::now() - t0);
    const FleetStats after = fleet.stats();
    const double fleet_cpu = after.loop_cpu_seconds - before.loop_cpu_seconds;
    const double proc_cpu = processCpu() - cpu_before;
    const uint64_t reqs = after.requests_served - before.requests_served;
    const char* kind = round == 1 ? "new (full handshake)" : reconnect ? "new (TLS resumption)" : "keep-alive reuse";
    std::printf("%-6d %-22s %9.2f %9zu %11.1f %11.2f %11.2f %9.0f %8ld\n", round, kind, wall_s, fails.load(),
                bytes.load() / 1048576.0, fleet_cpu, proc_cpu - fleet_cpu, reqs ? fleet_cpu * 1e6 / reqs : 0.0,
                rssMiB());
  }
  const FleetStats end = fleet.stats();
  std::printf("\n* fleet CPU per request. Fleet CPU = CPU time of the fleet's event-loop threads "
              "(CLOCK_THREAD_CPUTIME_ID); client CPU = process CPU minus that (client threads, TLS, parsing).\n");
  std::printf("  RSS is the whole process: fleet + %zu client connections.\n", conns.size());
  std::printf("requests served %llu, connections accepted %llu, handshakes %llu, resumed %llu\n",
              static_cast<unsigned long long>(end.requests_served),
              static_cast<unsigned long long>(end.connections_accepted),
              static_cast<unsigned long long>(end.handshakes_completed),
              static_cast<unsigned long long>(end.sessions_resumed));
  conns.clear();
  const auto t_stop = Clock::now();
  fleet.stop();
  std::printf("%-34s %10.2f s\n", "fleet stop", seconds(Clock::now() - t_stop));
  return 0;
}
