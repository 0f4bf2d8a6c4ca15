// Who is calling and what they may do: a token table (what TokenReview answers) and an RBAC-like
// rule table (what SubjectAccessReview answers and what the apiserver itself enforces).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kmetrics::sim {

struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

// One request as the authorizer sees it (apiserver authorizer.Attributes).
struct RequestAttributes {
  bool resource_request = true;
  std::string verb;         // get list watch create update delete ...
  std::string api_group;    // "" = core
  std::string api_version;
  std::string resource;     // nodes, pods, ...
  std::string subresource;  // metrics, stats, proxy, ...
  std::string ns;
  std::string name;
  std::string path;         // non-resource requests
};

struct Rule {
  std::set<std::string> verbs;       // "*" = all
  std::set<std::string> api_groups;  // "*" = all
  std::set<std::string> resources;   // "pods", "nodes/metrics", "*"
  std::set<std::string> namespaces;  // empty = every namespace and cluster scope
  std::set<std::string> non_resource_urls;  // "/apis/*" style prefixes, "*" = all
};

class Authenticator {
 public:
  void addToken(const std::string& token, UserInfo user);
  // Unknown token: nullopt. Adds system:authenticated like the real apiserver.
  std::optional<UserInfo> authenticateToken(const std::string& token) const;
  // Client certificate subject: CN = user, O = groups.
  static UserInfo fromCertificate(const std::string& cn, const std::vector<std::string>& orgs);

 private:
  mutable std::mutex mu_;
  std::map<std::string, UserInfo> tokens_;
};

class Authorizer {
 public:
  // Subjects are "user:NAME" or "group:NAME".
  void grant(const std::string& subject, Rule rule);
  struct Decision {
    bool allowed = false;
    std::string reason;
  };
  Decision authorize(const std::string& user, const std::vector<std::string>& groups,
                     const RequestAttributes& a) const;

  // The default table: system:masters everything, discovery for system:authenticated, `viewer`
  // read-only, metrics-server's RBAC for `kmetrics_user`, nothing for anyone else.
  void addDefaults(const std::string& kmetrics_user);

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Rule>> rules_;
};

// "pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""
std::string forbiddenMessage(const std::string& user, const RequestAttributes& a, const std::string& reason);

// Service account user name and groups: system:serviceaccount:NS:NAME.
UserInfo serviceAccountUser(const std::string& ns, const std::string& name);

}  // namespace kmetrics::sim
