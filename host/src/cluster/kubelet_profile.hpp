// Maps the API-server RestConfig and metrics-server's --kubelet-* flags to the HTTP client profiles,
// exactly as metrics-server's kubelet client config does (reference/metrics-server.md §1.2):
//   default                      -> the RestConfig's CA, client cert/key and bearer token, https
//   --kubelet-insecure-tls       -> no verification, CA dropped
//   --kubelet-certificate-authority FILE -> that CA instead of the cluster CA
//   --kubelet-client-certificate/-key    -> that pair instead of the kubeconfig's
//   --deprecated-kubelet-completely-insecure -> plain http, no token, no TLS material
// Flag-combination validation (metrics-server's Validate) belongs to the config module; this only
// reads the files. Pure functions; thread-safe.
#pragma once

#include <string>

#include "cluster/rest_config.hpp"
#include "http/http_client.hpp"

namespace kmetrics::cluster {

struct KubeletClientFlags {
  std::string certificate_authority;  // --kubelet-certificate-authority
  bool insecure_tls = false;          // --kubelet-insecure-tls
  std::string client_certificate;     // --kubelet-client-certificate
  std::string client_key;             // --kubelet-client-key
  bool completely_insecure = false;   // --deprecated-kubelet-completely-insecure
};

// Throws ConfigLoadError naming the flag and file.
http::ProfileSettings kubelet_profile(const RestConfig& rest, const KubeletClientFlags& flags);
http::ProfileSettings apiserver_profile(const RestConfig& rest);
// Both profiles plus defaults for the rest; the app may then adjust limits and pool sizes.
http::HttpClientOptions make_http_client_options(const RestConfig& rest, const KubeletClientFlags& flags);

}  // namespace kmetrics::cluster
