// kmetrics-sim: a simulated Kubernetes cluster (apiserver + aggregator + kubelets) on 127.0.0.0/8.
// Prints `READY <dir>/sim.json` once serving; SIGINT/SIGTERM stop it cleanly.
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "app/simulation.hpp"

namespace {

void usage() {
  std::cerr << "usage: kmetrics-sim --dir DIR [--nodes N] [--pods-per-node M] [--apiserver-port P]\n"
               "                    [--kubelet-port P] [--metrics-backend https://127.0.0.1:PORT]\n"
               "                    [--heapster-backend http://127.0.0.1:PORT] [--probe-interval-ms MS]\n"
               "                    [--kubelet-threads N] [--no-kubelets] [--log-requests]\n";
}

}  // namespace

int main(int argc, char** argv) {
  kmetrics::sim::SimOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string v;
    const size_t eq = a.find('=');
    const bool has_inline = a.rfind("--", 0) == 0 && eq != std::string::npos;
    if (has_inline) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    auto value = [&]() -> std::string {
      if (has_inline) return v;
      if (i + 1 >= argc) {
        std::cerr << "kmetrics-sim: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--dir") o.dir = value();
      else if (a == "--nodes") o.nodes = std::stoi(value());
      else if (a == "--pods-per-node") o.pods_per_node = std::stoi(value());
      else if (a == "--apiserver-port") o.apiserver_port = static_cast<uint16_t>(std::stoi(value()));
      else if (a == "--kubelet-port") o.kubelet_port = static_cast<uint16_t>(std::stoi(value()));
      else if (a == "--metrics-backend") o.metrics_backend = value();
      else if (a == "--heapster-backend") o.heapster_backend = value();
      else if (a == "--probe-interval-ms") o.probe_interval_ms = std::stoi(value());
      else if (a == "--kubelet-threads") o.kubelet_threads = std::stoi(value());
      else if (a == "--no-kubelets") o.kubelets = false;
      else if (a == "--log-requests") o.log_requests = true;
      else if (a == "--help" || a == "-h") {
        usage();
        return 0;
      } else {
        std::cerr << "kmetrics-sim: unknown flag " << a << "\n";
        usage();
        return 2;
      }
    } catch (const std::exception&) {
      std::cerr << "kmetrics-sim: bad value for " << a << "\n";
      return 2;
    }
  }
  if (o.dir.empty()) {
    usage();
    return 2;
  }
  if (!o.metrics_backend.empty() && o.metrics_backend.rfind("https://", 0) != 0) {
    std::cerr << "kmetrics-sim: --metrics-backend must be https://host:port\n";
    return 2;
  }

  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    kmetrics::sim::Simulation sim(o);
    sim.start();
    std::cout << "READY " << sim.simJsonPath() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    std::cerr << "kmetrics-sim: " << strsignal(sig) << ", stopping\n";
    sim.stop();
  } catch (const std::exception& e) {
    std::cerr << "kmetrics-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
