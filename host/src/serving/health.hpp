// /livez, /readyz and /healthz with named checks, answering byte for byte as k8s.io/apiserver's
// healthz package: "ok" when all pass; with ?verbose one "[+]<name> ok" line per check and
// "<endpoint> check passed"; on any failure HTTP 500 with "[-]<name> failed: reason withheld" lines
// and "<endpoint> check failed" (always verbose, reasons never shown). ?exclude=<name> skips a check.
// /<endpoint>/<name> runs one check: "ok", or 500 "internal server error: <reason>".
// `ping` is built in (first on every endpoint), as kube-apiserver's PingHealthz.
// THREADING: add() before serving starts; handle() is thread-safe and runs checks on the calling
// thread (checks must be quick and thread-safe).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kmetrics {

// Returns "" when healthy, otherwise the reason.
using HealthCheckFn = std::function<std::string()>;

enum HealthEndpoint : unsigned { kLivez = 1u << 0, kReadyz = 1u << 1, kHealthz = 1u << 2 };

class HealthChecks {
 public:
  HealthChecks();

  // Adds a check to every endpoint in `endpoints` (a HealthEndpoint mask), after the existing ones.
  // Returns false (and adds nothing) when the name is empty or already used on one of them.
  bool add(unsigned endpoints, std::string name, HealthCheckFn check);

  struct Answer {
    int status = 200;
    std::string body;  // text/plain; charset=utf-8
  };
  // The answer for a path under /livez, /readyz or /healthz; nullopt for any other path or an
  // unknown check name (→ 404 by the caller).
  std::optional<Answer> handle(std::string_view path, std::string_view raw_query) const;

  // Names on one endpoint, in order (tests, logs).
  std::vector<std::string> names(HealthEndpoint endpoint) const;

 private:
  struct Check {
    std::string name;
    HealthCheckFn fn;
  };
  std::vector<Check>* list(HealthEndpoint e);
  const std::vector<Check>* list(HealthEndpoint e) const;

  mutable std::mutex mu_;  // guards the lists against add() during serving
  std::vector<Check> livez_, readyz_, healthz_;
};

}  // namespace kmetrics
