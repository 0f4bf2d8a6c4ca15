#!/usr/bin/env python3
"""Generate flag_table_data.cpp from metrics-server's golden --help text.

The usage strings are copied verbatim so `kmetrics --help` reproduces metrics-server's sections byte
for byte; what kmetrics does with each flag (the policy) is assigned here, explicitly, per flag.
Run: gen_flag_table.py <command-line-flags.txt> > flag_table_data.cpp
"""
import re
import sys

SECTIONS = {
    "Metrics server flags:": "metrics_server",
    "Generic flags:": "generic",
    "Kubelet client flags:": "kubelet_client",
    "Apiserver secure serving flags:": "secure_serving",
    "Apiserver authentication flags:": "authentication",
    "Apiserver authorization flags:": "authorization",
    "Apiserver audit log flags:": "audit",
    "Features flags:": "features",
    "Logging flags:": "logging",
}

KINDS = {
    "": "boolean", "string": "string", "duration": "duration", "ip": "ip", "strings": "string_slice",
    "colonSeparatedMultimapStringString": "string_slice", "float": "number", "float32": "number",
    "int": "integer", "int32Slice": "string_slice", "namedCertKey": "string_slice", "quantity": "quantity",
    "Level": "integer", "pattern=N,...": "string",
}

# Flags that are moot in kmetrics' architecture: any well-typed value is accepted and has no effect.
NOOP = {
    "advertise-address": "kmetrics does not join the apiserver cluster, so it advertises no address",
    "external-hostname": "kmetrics generates no externalized URLs (no Swagger/OpenID documents)",
    "max-mutating-requests-inflight": "kmetrics serves no mutating requests",
    "min-request-timeout": "only used for watch requests, which kmetrics does not serve",
    "shutdown-watch-termination-grace-period": "kmetrics serves no watch requests",
    "storage-initialization-timeout": "kmetrics has no storage backend to initialise",
    "disable-http2-serving": "kmetrics serves HTTP/1.1 only, so HTTP/2 is always disabled",
    "http2-max-streams-per-connection": "kmetrics serves HTTP/1.1 only",
    "enable-priority-and-fairness": "kmetrics limits load with --max-requests-inflight only (no flowcontrol API)",
    "profiling": "kmetrics serves no /debug/pprof endpoints",
}

# Flags asking for behaviour kmetrics does not provide: accepted only at their default value.
REFUSED = {
    "cors-allowed-origins": "CORS is not implemented",
    "emulated-version": "version emulation is not implemented",
    "emulation-forward-compatible": "version emulation is not implemented",
    "feature-gates": "kmetrics has no Kubernetes feature gates",
    "goaway-chance": "HTTP/2 GOAWAY is not implemented (HTTP/1.1 only)",
    "livez-grace-period": "kmetrics has no post-start hooks to wait for",
    "min-compatibility-version": "version emulation is not implemented",
    "runtime-config-emulation-forward-compatible": "version emulation is not implemented",
    "shutdown-send-retry-after": "draining with 429 Retry-After is not implemented",
    "strict-transport-security-directives": "HSTS headers are not implemented",
    "tls-curve-preferences": "TLS curve selection is not implemented",
    "tls-sni-cert-key": "SNI certificates are not implemented",
    "contention-profiling": "profiling is not implemented",
    "debug-socket-path": "the debug socket is not implemented",
    "log-json-info-buffer-size": "alpha logging options are not implemented",
    "log-json-split-stream": "alpha logging options are not implemented",
    "log-text-info-buffer-size": "alpha logging options are not implemented",
    "log-text-split-stream": "alpha logging options are not implemented",
    "vmodule": "per-file verbosity is not implemented",
}
AUDIT_REASON = "audit logging is not implemented"

# Where implemented flags land in the config (also their path in the config file).
IMPLEMENTED = {
    "kubeconfig": "host.kubeconfig",
    "metric-resolution": "host.metric_resolution",
    "version": "",
    "max-requests-inflight": "host.secure_serving.max_requests_inflight",
    "request-timeout": "host.secure_serving.request_timeout",
    "shutdown-delay-duration": "host.shutdown_delay",
    "deprecated-kubelet-completely-insecure": "kubelet.completely_insecure",
    "kubelet-certificate-authority": "kubelet.certificate_authority",
    "kubelet-client-certificate": "kubelet.client_certificate",
    "kubelet-client-key": "kubelet.client_key",
    "kubelet-insecure-tls": "kubelet.insecure_tls",
    "kubelet-port": "kubelet.port",
    "kubelet-preferred-address-types": "kubelet.preferred_address_types",
    "kubelet-request-timeout": "kubelet.request_timeout",
    "kubelet-use-node-status-port": "kubelet.use_node_status_port",
    "node-selector": "host.node_selector",
    "bind-address": "host.secure_serving.bind_address",
    "cert-dir": "host.secure_serving.cert_dir",
    "permit-address-sharing": "host.secure_serving.permit_address_sharing",
    "permit-port-sharing": "host.secure_serving.permit_port_sharing",
    "secure-port": "host.secure_serving.secure_port",
    "tls-cert-file": "host.secure_serving.tls_cert_file",
    "tls-cipher-suites": "host.secure_serving.tls_cipher_suites",
    "tls-min-version": "host.secure_serving.tls_min_version",
    "tls-private-key-file": "host.secure_serving.tls_private_key_file",
    "authentication-kubeconfig": "host.authentication.kubeconfig",
    "authentication-skip-lookup": "host.authentication.skip_lookup",
    "authentication-token-webhook-cache-ttl": "host.authentication.token_webhook_cache_ttl",
    "authentication-tolerate-lookup-failure": "host.authentication.tolerate_lookup_failure",
    "client-ca-file": "host.authentication.client_ca_file",
    "requestheader-allowed-names": "host.authentication.requestheader.allowed_names",
    "requestheader-client-ca-file": "host.authentication.requestheader.client_ca_file",
    "requestheader-extra-headers-prefix": "host.authentication.requestheader.extra_headers_prefix",
    "requestheader-group-headers": "host.authentication.requestheader.group_headers",
    "requestheader-uid-headers": "host.authentication.requestheader.uid_headers",
    "requestheader-username-headers": "host.authentication.requestheader.username_headers",
    "authorization-always-allow-paths": "host.authorization.always_allow_paths",
    "authorization-kubeconfig": "host.authorization.kubeconfig",
    "authorization-webhook-cache-authorized-ttl": "host.authorization.webhook_cache_authorized_ttl",
    "authorization-webhook-cache-unauthorized-ttl": "host.authorization.webhook_cache_unauthorized_ttl",
    "log-flush-frequency": "host.logging.flush_frequency",
    "logging-format": "host.logging.format",
    "v": "host.logging.verbosity",
}

# kmetrics' own flags: (name, shorthand, varname, config path, usage)
KMETRICS = [
    ("config", "", "string", "", "Path to the kmetrics config file (YAML or JSON). Flags override values from the file."),
    ("heapster-port", "", "int", "host.heapster_port",
     "Port for the heapster-compatible API (heapster's flag). 0 disables it; a value above 0 adds a heapster_api sink when none is configured."),
    ("help", "h", "", "", "Show this help and exit"),
    ("kubelet-endpoint", "", "string", "kubelet.endpoint",
     "Kubelet endpoint to scrape: resource (/metrics/resource), summary (/stats/summary) or auto (resource, falling back per node to summary when a kubelet answers 404). (default \"auto\")"),
    ("plugin-dir", "", "strings", "host.plugin_dirs",
     "Directory to search for plugin libraries; comma-separated or repeated. Replaces host.plugin_dirs from the config file."),
]

LINE = re.compile(r"^(\s+(?:-(\w), )?--([\w-]+)(?: (\S+))?)\s+(.*)$")


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def default_of(usage):
    m = re.search(r"\(default (.*)\)$", usage)
    if not m:
        return ""
    d = m.group(1)
    if d.startswith('"') and d.endswith('"'):
        d = d[1:-1]
    return d


def main():
    text = open(sys.argv[1], encoding="utf-8").read().split("\n")
    flags = []
    section = None
    col = None
    for raw in text:
        if raw in SECTIONS:
            section = SECTIONS[raw]
            col = None
            continue
        if section is None or not raw.strip():
            if flags and section is not None and raw == "" and flags[-1]["continues"]:
                flags[-1]["usage"] += "\n"
            continue
        m = LINE.match(raw)
        if m and raw.lstrip().startswith("-") and (col is None or raw[:col].strip()):
            start = len(raw) - len(m.group(5))
            col = start if col is None else min(col, start)
            flags.append(dict(section=section, short=m.group(2) or "", name=m.group(3),
                              varname=m.group(4) or "", usage=m.group(5), continues=True))
        else:
            flags[-1]["usage"] += "\n" + raw.strip()
    # A trailing "\n" only survives when a real continuation followed (feature-gates' "Options are:").
    out = []
    w = out.append
    w("// Generated by gen_flag_table.py from metrics-server's docs/command-line-flags.txt. Do not edit by hand:")
    w("// change the policy tables in the generator and regenerate, so help text stays identical to upstream.")
    w('#include "config/flag_table.hpp"')
    w("")
    w("namespace kmetrics::config {")
    w("")
    w("const std::vector<FlagSpec>& flag_table() {")
    w("  static const std::vector<FlagSpec> table = {")
    for f in flags:
        usage = f["usage"].rstrip("\n") if not f["name"] == "feature-gates" else f["usage"]
        name = f["name"]
        if name in IMPLEMENTED:
            policy, extra = "implemented", IMPLEMENTED[name]
        elif name in NOOP:
            policy, extra = "no_op", NOOP[name]
        elif name in REFUSED:
            policy, extra = "refused", REFUSED[name]
        elif name.startswith("audit-"):
            policy, extra = "refused", AUDIT_REASON
        else:
            sys.exit("no policy for --" + name)
        kind = KINDS[f["varname"]]
        w(f"      {{{cstr(name)}, {cstr(f['short'])}, FlagSection::{f['section']}, {cstr(f['varname'])}, "
          f"FlagKind::{kind}, FlagPolicy::{policy},")
        w(f"       {cstr(extra)}, {cstr(default_of(usage.rstrip()))},")
        w(f"       {cstr(usage)}}},")
    for name, short, varname, path, usage in KMETRICS:
        kind = KINDS[varname]
        w(f"      {{{cstr(name)}, {cstr(short)}, FlagSection::kmetrics, {cstr(varname)}, FlagKind::{kind}, "
          f"FlagPolicy::implemented,")
        w(f"       {cstr(path)}, {cstr(default_of(usage))},")
        w(f"       {cstr(usage)}}},")
    w("  };")
    w("  return table;")
    w("}")
    w("")
    w("}  // namespace kmetrics::config")
    print("\n".join(out))


if __name__ == "__main__":
    main()
