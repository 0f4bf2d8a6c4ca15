#include "cluster/kubelet_profile.hpp"

#include "cluster/file_util.hpp"

namespace kmetrics::cluster {

http::ProfileSettings apiserver_profile(const RestConfig& rest) {
  http::ProfileSettings p;
  p.tls = rest.tls;
  p.token = rest.token;
  return p;
}

http::ProfileSettings kubelet_profile(const RestConfig& rest, const KubeletClientFlags& flags) {
  http::ProfileSettings p;
  if (flags.completely_insecure) {
    p.force_plain_http = true;
    p.tls.insecure_skip_verify = true;  // never used for http; keeps the context trivial
    p.tls.origin = "--deprecated-kubelet-completely-insecure";
    return p;
  }
  p.tls = rest.tls;
  p.tls.origin = "kubelet client (" + rest.source + ")";
  p.token = rest.token;
  if (flags.insecure_tls) {
    p.tls.insecure_skip_verify = true;
    p.tls.ca_pem.clear();
    p.tls.use_system_cas = false;
  } else if (!flags.certificate_authority.empty()) {
    p.tls.ca_pem = detail::read_file_or_throw(flags.certificate_authority, "--kubelet-certificate-authority");
    p.tls.use_system_cas = false;
    p.tls.insecure_skip_verify = false;
  }
  if (!flags.client_certificate.empty() || !flags.client_key.empty()) {
    if (flags.client_certificate.empty() || flags.client_key.empty()) {
      throw ConfigLoadError("need both --kubelet-client-key and --kubelet-client-certificate");
    }
    p.tls.client_cert_pem = detail::read_file_or_throw(flags.client_certificate, "--kubelet-client-certificate");
    p.tls.client_key_pem = detail::read_file_or_throw(flags.client_key, "--kubelet-client-key");
  }
  return p;
}

http::HttpClientOptions make_http_client_options(const RestConfig& rest, const KubeletClientFlags& flags) {
  http::HttpClientOptions o;
  o.kubelet = kubelet_profile(rest, flags);
  o.apiserver = apiserver_profile(rest);
  return o;
}

}  // namespace kmetrics::cluster
