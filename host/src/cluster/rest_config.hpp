// How to reach and authenticate to the API server: what client-go calls rest.Config, reduced to what
// kmetrics uses. Built by load_kubeconfig() or load_in_cluster(); the kubelet HTTP profile starts
// from it too (metrics-server reuses the API server's CA, client cert and token for kubelets).
// Immutable once built; the TokenSource inside is itself thread-safe.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "http/tls_context.hpp"
#include "http/token_source.hpp"

namespace kmetrics::cluster {

struct RestConfig {
  std::string server;                        // "https://10.96.0.1:443", no trailing slash
  http::TlsSettings tls;                     // CA, insecure-skip-tls-verify, client cert/key (PEM)
  std::shared_ptr<http::TokenSource> token;  // nullptr: no bearer token
  std::string default_namespace;             // context namespace or the pod's namespace
  std::string source;                        // "kubeconfig /root/.kube/config (context kind-kind)"
};

// Every loading problem: the message names the file, the key and the reason.
class ConfigLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kmetrics::cluster
