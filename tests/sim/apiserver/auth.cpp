#include "apiserver/auth.hpp"

#include <algorithm>

namespace kmetrics::sim {
namespace {

void ensureAuthenticatedGroup(UserInfo& u) {
  if (std::find(u.groups.begin(), u.groups.end(), "system:authenticated") == u.groups.end())
    u.groups.push_back("system:authenticated");
}

bool matchesAny(const std::set<std::string>& set, const std::string& v) {
  return set.count("*") != 0 || set.count(v) != 0;
}

bool pathMatches(const std::set<std::string>& urls, const std::string& path) {
  for (const auto& u : urls) {
    if (u == "*" || u == path) return true;
    if (!u.empty() && u.back() == '*' && path.rfind(u.substr(0, u.size() - 1), 0) == 0) return true;
  }
  return false;
}

bool ruleAllows(const Rule& r, const RequestAttributes& a) {
  if (!matchesAny(r.verbs, a.verb)) return false;
  if (!a.resource_request) return pathMatches(r.non_resource_urls, a.path);
  if (r.api_groups.empty() || !matchesAny(r.api_groups, a.api_group)) return false;
  const std::string res = a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
  if (!matchesAny(r.resources, res)) return false;
  if (!r.namespaces.empty() && r.namespaces.count(a.ns) == 0) return false;
  return true;
}

}  // namespace

void Authenticator::addToken(const std::string& token, UserInfo user) {
  std::lock_guard lock(mu_);
  tokens_[token] = std::move(user);
}

std::optional<UserInfo> Authenticator::authenticateToken(const std::string& token) const {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end() || token.empty()) return std::nullopt;
  UserInfo u = it->second;
  ensureAuthenticatedGroup(u);
  return u;
}

UserInfo Authenticator::fromCertificate(const std::string& cn, const std::vector<std::string>& orgs) {
  UserInfo u;
  u.name = cn;
  u.groups = orgs;
  ensureAuthenticatedGroup(u);
  return u;
}

UserInfo serviceAccountUser(const std::string& ns, const std::string& name) {
  UserInfo u;
  u.name = "system:serviceaccount:" + ns + ":" + name;
  u.uid = "sa-uid-" + ns + "-" + name;
  u.groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"};
  return u;
}

void Authorizer::grant(const std::string& subject, Rule rule) {
  std::lock_guard lock(mu_);
  rules_[subject].push_back(std::move(rule));
}

Authorizer::Decision Authorizer::authorize(const std::string& user, const std::vector<std::string>& groups,
                                           const RequestAttributes& a) const {
  std::lock_guard lock(mu_);
  auto check = [&](const std::string& subject) -> bool {
    auto it = rules_.find(subject);
    if (it == rules_.end()) return false;
    for (const auto& r : it->second)
      if (ruleAllows(r, a)) return true;
    return false;
  };
  if (check("user:" + user)) return {true, "RBAC: allowed for user \"" + user + "\""};
  for (const auto& g : groups)
    if (check("group:" + g)) return {true, "RBAC: allowed for group \"" + g + "\""};
  return {false, ""};
}

void Authorizer::addDefaults(const std::string& kmetrics_user) {
  Authorizer& z = *this;
  z.grant("group:system:masters", Rule{{"*"}, {"*"}, {"*"}, {}, {"*"}});
  // system:discovery, system:basic-user, system:public-info-viewer
  z.grant("group:system:authenticated",
          Rule{{"get"}, {}, {}, {}, {"/api", "/api/*", "/apis", "/apis/*", "/version", "/version/", "/healthz",
                                     "/livez", "/readyz", "/openapi/*"}});
  z.grant("group:system:unauthenticated", Rule{{"get"}, {}, {}, {}, {"/version", "/healthz", "/livez", "/readyz"}});
  // viewer: roughly the `view` ClusterRole, which aggregates system:aggregated-metrics-reader.
  z.grant("user:viewer", Rule{{"get", "list", "watch"}, {""}, {"nodes", "pods", "namespaces", "configmaps"}, {}, {}});
  z.grant("user:viewer", Rule{{"get", "list", "watch"}, {"metrics.k8s.io"}, {"pods", "nodes"}, {}, {}});
  z.grant("user:viewer", Rule{{"get", "list", "watch"}, {"apiregistration.k8s.io"}, {"apiservices"}, {}, {}});
  // kmetrics: what metrics-server's manifests/base/rbac.yaml grants (plus nodes/stats for Summary-API sources).
  const std::string km = "user:" + kmetrics_user;
  z.grant(km, Rule{{"get", "list", "watch"}, {""}, {"nodes", "pods"}, {}, {}});
  z.grant(km, Rule{{"get"}, {""}, {"nodes/metrics", "nodes/stats"}, {}, {}});
  z.grant(km, Rule{{"get", "list", "watch"}, {""}, {"configmaps"}, {"kube-system"}, {}});
  z.grant(km, Rule{{"create"}, {"authentication.k8s.io"}, {"tokenreviews"}, {}, {}});
  z.grant(km, Rule{{"create"}, {"authorization.k8s.io"}, {"subjectaccessreviews"}, {}, {}});
}

std::string forbiddenMessage(const std::string& user, const RequestAttributes& a, const std::string& reason) {
  std::string msg;
  if (!a.resource_request) {
    msg = "forbidden: User \"" + user + "\" cannot " + a.verb + " path \"" + a.path + "\"";
  } else {
    std::string qualified = a.api_group.empty() ? a.resource : a.resource + "." + a.api_group;
    if (!a.subresource.empty()) qualified += "/" + a.subresource;
    msg = qualified;
    if (!a.name.empty()) msg += " \"" + a.name + "\"";
    msg += " is forbidden: User \"" + user + "\" cannot " + a.verb + " resource \"" + a.resource + "\"";
    if (!a.subresource.empty()) msg += "/" + a.subresource;
    msg += " in API group \"" + a.api_group + "\"";
    msg += a.ns.empty() ? " at the cluster scope" : " in the namespace \"" + a.ns + "\"";
  }
  if (!reason.empty()) msg += ": " + reason;
  return msg;
}

}  // namespace kmetrics::sim
