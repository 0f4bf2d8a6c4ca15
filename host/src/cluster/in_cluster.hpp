// In-cluster configuration (no --kubeconfig): KUBERNETES_SERVICE_HOST/PORT and the mounted
// service-account directory (token, ca.crt, namespace). The token is a TokenSource over the file, so
// rotated projected tokens are picked up. The root directory and environment are injectable for tests.
// Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "cluster/rest_config.hpp"

namespace kmetrics::cluster {

struct InClusterOptions {
  std::string root = "/var/run/secrets/kubernetes.io/serviceaccount";
  std::function<const char*(const char*)> getenv;  // default: ::getenv
  std::chrono::milliseconds token_recheck = std::chrono::seconds(60);
};

// Throws ConfigLoadError naming the variable or file and why.
RestConfig load_in_cluster(const InClusterOptions& options = {});

}  // namespace kmetrics::cluster
