// kubeconfig files for the simulated cluster: certificates inline (*-data), one cluster, one user,
// one context, so every kubectl version and client library reads them without extra files.
#pragma once

#include <string>

namespace kmetrics::sim {

struct KubeconfigSpec {
  std::string server;            // https://127.0.0.1:PORT
  std::string ca_pem;            // the apiserver's CA
  std::string user;              // user entry name
  std::string client_cert_pem;   // client-certificate auth, or
  std::string client_key_pem;
  std::string token;             // bearer-token auth
  std::string ns = "default";    // context namespace
};

std::string renderKubeconfig(const KubeconfigSpec& spec);
std::string base64(const std::string& bytes);

}  // namespace kmetrics::sim
