#include "cluster/in_cluster.hpp"

#include <cstdlib>

#include "cluster/file_util.hpp"

namespace kmetrics::cluster {

RestConfig load_in_cluster(const InClusterOptions& options) {
  auto env = [&](const char* name) -> std::string {
    const char* v = options.getenv ? options.getenv(name) : std::getenv(name);
    return v != nullptr ? std::string(v) : std::string();
  };
  std::string host = env("KUBERNETES_SERVICE_HOST");
  std::string port = env("KUBERNETES_SERVICE_PORT");
  if (host.empty() || port.empty()) {
    throw ConfigLoadError(
        "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set "
        "(not running in a pod? pass --kubeconfig)");
  }
  RestConfig rc;
  rc.source = "in-cluster config (" + options.root + ")";
  bool ipv6 = host.find(':') != std::string::npos;
  rc.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  rc.tls.origin = rc.source;
  rc.tls.ca_pem = detail::read_file_or_throw(options.root + "/ca.crt", "in-cluster CA file");
  try {
    rc.token = http::TokenSource::file(options.root + "/token", options.token_recheck);
  } catch (const std::exception& e) {
    throw ConfigLoadError(std::string("in-cluster config: ") + e.what());
  }
  try {
    std::string ns = detail::read_file_or_throw(options.root + "/namespace", "namespace file");
    while (!ns.empty() && (ns.back() == '\n' || ns.back() == ' ')) ns.pop_back();
    rc.default_namespace = ns;
  } catch (const ConfigLoadError&) {
    rc.default_namespace = "default";  // client-go's fallback; the file is optional
  }
  return rc;
}

}  // namespace kmetrics::cluster
