// A kubelet's serving certificate, as kubeadm's kubelet serving CSR asks for it:
// CN system:node:<name>, O system:nodes, IP SAN = the node address, DNS SAN = the node name,
// serverAuth, a fresh EC P-256 key per node.
//
// Issued here with the kubelet CA's key rather than through CertificateAuthority::issue(): that
// path round-trips the CA key and the leaf through PEM, and OpenSSL 3.0's PEM decoders cost
// milliseconds each (measured ~7 ms per node, 35 s for 5,000). Parsing the CA once and building
// X509 objects directly keeps one real certificate per node at well under a millisecond.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <mutex>

#include "cluster/cluster_state.hpp"
#include "kubelet/tls_connection.hpp"
#include "pki/pki.hpp"

namespace kmetrics::sim {

class KubeletCertIssuer {
 public:
  explicit KubeletCertIssuer(const CertificateAuthority& ca);  // throws on a bad CA
  ~KubeletCertIssuer();
  KubeletCertIssuer(const KubeletCertIssuer&) = delete;
  KubeletCertIssuer& operator=(const KubeletCertIssuer&) = delete;

  // Thread-safe.
  std::shared_ptr<const TlsIdentity> issue(const Node& node);

 private:
  std::mutex mu_;
  X509* ca_cert_ = nullptr;
  EVP_PKEY* ca_key_ = nullptr;
  EVP_PKEY_CTX* keygen_ = nullptr;  // P-256 parameters fetched once
  uint64_t serial_ = 0;
};

}  // namespace kmetrics::sim
