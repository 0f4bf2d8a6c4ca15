// Self-signed serving certificate for when no --tls-cert-file/--tls-private-key-file is given, as
// metrics-server's MaybeDefaultWithSelfSignedCerts: written to <cert_dir>/apiserver.crt and .key.
// Existing files are reused when they parse, match, are not about to expire and cover every
// requested name; otherwise a new pair is generated (EC P-256, one year).
// THREADING: call once at startup; not safe to run concurrently on the same directory.
#pragma once

#include <string>
#include <vector>

namespace kmetrics {

struct SelfSignedRequest {
  std::string cert_dir;
  std::vector<std::string> dns_names{"localhost"};  // plus e.g. metrics-server.kube-system.svc
  std::vector<std::string> ip_addresses{"127.0.0.1"};
};

struct SelfSignedResult {
  std::string cert_file;
  std::string key_file;
  bool generated = false;  // false: existing files were reused
};

// Throws std::runtime_error when the directory cannot be created or written.
SelfSignedResult ensure_self_signed_cert(const SelfSignedRequest& request);

}  // namespace kmetrics
