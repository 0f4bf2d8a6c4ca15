// Kubeconfig files (--kubeconfig): current-context (or an explicit context) -> cluster + user.
// Supported: cluster server, certificate-authority(-data), insecure-skip-tls-verify; user token,
// tokenFile, client-certificate(-data), client-key(-data). Relative file paths are resolved against
// the kubeconfig's directory, as kubectl does. exec / auth-provider / username+password users are
// rejected with an explicit error rather than silently sending unauthenticated requests.
// Pure functions of their inputs (and the files they name); thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "cluster/rest_config.hpp"

namespace kmetrics::cluster {

struct KubeconfigOptions {
  std::string context;  // empty: current-context
  std::chrono::milliseconds token_recheck = std::chrono::seconds(60);  // for tokenFile
};

// Throws ConfigLoadError: `kubeconfig /p: users[0] "admin": client-key-data: invalid base64`.
RestConfig load_kubeconfig(const std::string& path, const KubeconfigOptions& options = {});
// The same for text already read; `path` names it in errors and anchors relative paths.
RestConfig parse_kubeconfig(const std::string& yaml_text, const std::string& path,
                            const KubeconfigOptions& options = {});

}  // namespace kmetrics::cluster
