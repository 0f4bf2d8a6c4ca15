// Semantic validation of a fully merged HostConfig. metrics-server stops at its first error; we report all.
#pragma once

#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/host_config.hpp"
#include "config/provenance.hpp"

namespace kmetrics::config {

// metrics-server's KubeletClientOptions.Validate(), same messages, same order. `path` prefixes the
// field paths ("kubelet" or "sources[0].config"); attribution goes through `prov` when given.
ConfigErrors validate_kubelet(const KubeletClientConfig& k, const std::string& path, const Provenance* prov);

// metrics-server's Options.validate() resolution rules (resolution ≥ 10s; 0.9 × resolution ≥ timeout).
ConfigErrors validate_resolution(Duration resolution, Duration kubelet_request_timeout, const Provenance* prov);

// Everything: the rules above plus ranges, enums, TLS names, selectors, header lists and plugin instances.
// Warnings that do not stop startup (e.g. requestheader headers without X-Remote-User) go to `notices`.
void validate_config(const HostConfig& cfg, const Provenance& prov, ConfigErrors& errors,
                     std::vector<std::string>& notices);

// Go cipher-suite names accepted by --tls-cipher-suites (metrics-server's preferred and insecure lists).
const std::vector<std::string>& known_tls_cipher_suites();

}  // namespace kmetrics::config
