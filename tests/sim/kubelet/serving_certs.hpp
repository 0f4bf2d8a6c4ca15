// A kubelet's serving certificate, as kubeadm's kubelet serving CSR asks for it:
// CN system:node:<name>, O system:nodes, IP SAN = the node address, DNS SAN = the node name,
// serverAuth, a fresh EC P-256 key per node.
//
// Issued here with the kubelet CA's key rather than through CertificateAuthority::issue(): that
// path round-trips the CA key and the leaf through PEM, and OpenSSL 3.0's decoders and encoders
// cost milliseconds per call (measured ~7 ms per node, 35 s for 5,000). Here the CA is parsed once
// and keys are made with the (deprecated) EC_KEY API, whose keys take OpenSSL's legacy encoding path
// in X509_set_pubkey (~10 us instead of ~900 us for a provider key): ~0.2 ms per node in all.
#pragma once

#include <openssl/ec.h>
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
  EC_GROUP* group_ = nullptr;  // P-256
  uint64_t serial_ = 0;
};

}  // namespace kmetrics::sim
