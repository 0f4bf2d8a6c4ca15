#include "app/kubeconfig.hpp"

namespace kmetrics::sim {

std::string base64(const std::string& in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += i + 1 < in.size() ? tbl[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string renderKubeconfig(const KubeconfigSpec& s) {
  std::string y;
  y += "apiVersion: v1\n";
  y += "kind: Config\n";
  y += "clusters:\n";
  y += "- name: kmetrics-sim\n";
  y += "  cluster:\n";
  y += "    server: " + s.server + "\n";
  y += "    certificate-authority-data: " + base64(s.ca_pem) + "\n";
  y += "users:\n";
  y += "- name: " + s.user + "\n";
  y += "  user:\n";
  if (!s.token.empty()) {
    y += "    token: " + s.token + "\n";
  } else {
    y += "    client-certificate-data: " + base64(s.client_cert_pem) + "\n";
    y += "    client-key-data: " + base64(s.client_key_pem) + "\n";
  }
  y += "contexts:\n";
  y += "- name: " + s.user + "@kmetrics-sim\n";
  y += "  context:\n";
  y += "    cluster: kmetrics-sim\n";
  y += "    user: " + s.user + "\n";
  y += "    namespace: " + s.ns + "\n";
  y += "current-context: " + s.user + "@kmetrics-sim\n";
  return y;
}

}  // namespace kmetrics::sim
