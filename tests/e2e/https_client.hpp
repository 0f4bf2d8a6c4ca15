// A small HTTPS client (Poco) for the sim's control API, raw metrics.k8s.io requests with a chosen
// Accept header (as the HPA sends it), and kmetrics' health endpoints without credentials.
#pragma once
#include <chrono>
#include <map>
#include <string>

namespace kmetrics::e2e {

struct HttpResponse {
  int status = 0;  // 0: transport error (see body)
  std::string content_type;
  std::string body;
};

struct TlsIdentity {
  std::string ca_file;    // empty: do not verify the server (kmetrics' self-signed cert)
  std::string cert_file;  // empty: no client certificate
  std::string key_file;
};

HttpResponse httpsRequest(const std::string& host, int port, const std::string& method,
                          const std::string& path_and_query, const TlsIdentity& id,
                          const std::map<std::string, std::string>& headers = {},
                          std::chrono::seconds timeout = std::chrono::seconds(30));

}  // namespace kmetrics::e2e
