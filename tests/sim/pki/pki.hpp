// A tiny certificate authority for the simulated cluster: cluster CA, front-proxy CA, kubelet CA.
// Generated fresh at every start so no key material lives in the repository.
#pragma once

#include <string>
#include <vector>

namespace kmetrics::sim {

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

struct CertSpec {
  std::string common_name;
  std::vector<std::string> organizations;  // Kubernetes reads O as the user's groups
  std::vector<std::string> dns_sans;
  std::vector<std::string> ip_sans;
  bool server_auth = true;
  bool client_auth = false;
  int valid_days = 365;
};

class CertificateAuthority {
 public:
  // Self-signed CA with an EC P-256 key. Throws std::runtime_error on OpenSSL failure.
  static CertificateAuthority create(const std::string& common_name, int valid_days = 3650);

  // Issues a leaf certificate (fresh EC P-256 key) signed by this CA.
  KeyPair issue(const CertSpec& spec) const;

  const std::string& certPem() const { return cert_pem_; }
  const std::string& keyPem() const { return key_pem_; }

 private:
  CertificateAuthority() = default;
  std::string cert_pem_;
  std::string key_pem_;
};

// Writes `content` to `path` (truncating); private keys get mode 0600, everything else 0644.
void writeFile(const std::string& path, const std::string& content, bool private_key = false);

}  // namespace kmetrics::sim
