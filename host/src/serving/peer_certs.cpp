#include "serving/peer_certs.hpp"

namespace kmetrics {

void PeerCertRegistry::handshake_started(int fd) {
  std::lock_guard lock(mu_);
  by_fd_.erase(fd);
}

void PeerCertRegistry::handshake_done(const SSL* ssl) {
  int fd = SSL_get_fd(ssl);
  if (fd < 0) return;
  auto chain = std::make_shared<PeerChain>();
  chain->leaf = x509_ref(SSL_get0_peer_certificate(ssl));
  if (chain->leaf) {
    // Server side: the stack holds what the client sent after its leaf (may repeat the leaf).
    STACK_OF(X509)* sent = SSL_get_peer_cert_chain(ssl);
    for (int i = 0; sent != nullptr && i < sk_X509_num(sent) && i < 16; ++i) {
      X509* c = sk_X509_value(sent, i);
      if (X509_cmp(c, chain->leaf.get()) != 0) chain->intermediates.push_back(x509_ref(c));
    }
  }
  std::lock_guard lock(mu_);
  if (chain->leaf)
    by_fd_[fd] = std::move(chain);
  else
    by_fd_.erase(fd);
}

PeerChain PeerCertRegistry::lookup(int fd) const {
  std::shared_ptr<const PeerChain> found;
  {
    std::lock_guard lock(mu_);
    auto it = by_fd_.find(fd);
    if (it != by_fd_.end()) found = it->second;
  }
  PeerChain out;
  if (!found) return out;
  out.leaf = x509_ref(found->leaf.get());
  for (const auto& c : found->intermediates) out.intermediates.push_back(x509_ref(c.get()));
  return out;
}

}  // namespace kmetrics
