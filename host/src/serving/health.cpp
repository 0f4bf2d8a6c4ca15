#include "serving/health.hpp"

#include <cctype>
#include <set>

namespace kmetrics {
namespace {

// Query parameters as url.Values: decoded keys/values ('+' → space, %xx).
std::string query_unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      out.emplace_back(query_unescape(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : query_unescape(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::string run_check(const HealthCheckFn& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return e.what()[0] ? e.what() : "exception";
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

HealthChecks::HealthChecks() { add(kLivez | kReadyz | kHealthz, "ping", [] { return std::string(); }); }

std::vector<HealthChecks::Check>* HealthChecks::list(HealthEndpoint e) {
  return e == kLivez ? &livez_ : e == kReadyz ? &readyz_ : &healthz_;
}
const std::vector<HealthChecks::Check>* HealthChecks::list(HealthEndpoint e) const {
  return e == kLivez ? &livez_ : e == kReadyz ? &readyz_ : &healthz_;
}

bool HealthChecks::add(unsigned endpoints, std::string name, HealthCheckFn check) {
  if (name.empty() || !check) return false;
  std::lock_guard lock(mu_);
  for (HealthEndpoint e : {kLivez, kReadyz, kHealthz})
    if (endpoints & e)
      for (const auto& c : *list(e))
        if (c.name == name) return false;
  for (HealthEndpoint e : {kLivez, kReadyz, kHealthz})
    if (endpoints & e) list(e)->push_back(Check{name, check});
  return true;
}

std::vector<std::string> HealthChecks::names(HealthEndpoint endpoint) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& c : *list(endpoint)) out.push_back(c.name);
  return out;
}

std::optional<HealthChecks::Answer> HealthChecks::handle(std::string_view path, std::string_view raw_query) const {
  HealthEndpoint endpoint;
  std::string_view name;
  for (auto [prefix, e] : {std::pair<std::string_view, HealthEndpoint>{"/livez", kLivez},
                           {"/readyz", kReadyz},
                           {"/healthz", kHealthz}}) {
    if (path.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = path.substr(prefix.size());
    if (!rest.empty() && rest.front() != '/') continue;
    endpoint = e;
    name = prefix.substr(1);
    std::vector<Check> checks;
    {
      std::lock_guard lock(mu_);
      checks = *list(endpoint);
    }
    if (rest.size() > 1) {  // /readyz/<check>
      std::string_view check_name = rest.substr(1);
      for (const auto& c : checks) {
        if (c.name != check_name) continue;
        std::string err = run_check(c.fn);
        if (err.empty()) return Answer{200, "ok"};
        return Answer{500, "internal server error: " + err + "\n"};
      }
      return std::nullopt;
    }
    bool verbose = false;
    std::set<std::string> excluded;
    for (const auto& [k, v] : parse_query(raw_query)) {
      if (k == "verbose") verbose = true;
      if (k == "exclude") excluded.insert(v);
    }
    std::string lines;
    bool failed = false;
    for (const auto& c : checks) {
      if (excluded.erase(c.name) > 0) {
        lines += "[+]" + c.name + " excluded: ok\n";
        continue;
      }
      std::string err = run_check(c.fn);
      if (err.empty()) {
        lines += "[+]" + c.name + " ok\n";
      } else {
        // The endpoint is public: the reason stays in the logs / the single-check path.
        lines += "[-]" + c.name + " failed: reason withheld\n";
        failed = true;
      }
    }
    if (!excluded.empty()) {
      std::string quoted;
      for (const auto& x : excluded) quoted += (quoted.empty() ? "" : ",") + std::string("\"") + x + "\"";
      lines += "warn: some health checks cannot be excluded: no matches for " + quoted + "\n";
    }
    if (failed) return Answer{500, lines + std::string(name) + " check failed\n"};
    if (!verbose) return Answer{200, "ok"};
    return Answer{200, lines + std::string(name) + " check passed\n"};
  }
  return std::nullopt;
}

}  // namespace kmetrics
