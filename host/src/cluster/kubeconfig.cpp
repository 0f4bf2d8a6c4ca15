#include "cluster/kubeconfig.hpp"

#include <yaml-cpp/yaml.h>

#include "cluster/file_util.hpp"

namespace kmetrics::cluster {

namespace {

struct Ctx {
  std::string prefix;  // "kubeconfig /path"
  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw ConfigLoadError(prefix + ": " + where + (where.empty() ? "" : ": ") + why);
  }
};

std::string scalar(const YAML::Node& parent, const char* key, const Ctx& c, const std::string& where) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return {};
  if (!n.IsScalar()) c.fail(where + "." + key, "must be a string");
  return n.as<std::string>();
}

bool boolean(const YAML::Node& parent, const char* key, const Ctx& c, const std::string& where) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return false;
  try {
    return n.as<bool>();
  } catch (const YAML::Exception&) {
    c.fail(where + "." + key, "must be true or false");
  }
}

// Finds the entry `name` in a named list (clusters, contexts, users); returns its index.
YAML::Node find_named(const YAML::Node& root, const char* list, const char* inner, const std::string& name,
                      const Ctx& c, std::string& where) {
  YAML::Node l = root[list];
  if (!l || l.IsNull()) c.fail(list, "missing, but \"" + name + "\" is referenced");
  if (!l.IsSequence()) c.fail(list, "must be a list");
  for (size_t i = 0; i < l.size(); ++i) {
    YAML::Node e = l[i];
    if (!e.IsMap()) c.fail(std::string(list) + "[" + std::to_string(i) + "]", "must be a map");
    if (scalar(e, "name", c, std::string(list) + "[" + std::to_string(i) + "]") == name) {
      where = std::string(list) + "[" + std::to_string(i) + "] \"" + name + "\"";
      YAML::Node body = e[inner];
      if (!body || !body.IsMap()) c.fail(where, std::string("missing the \"") + inner + "\" map");
      return body;
    }
  }
  c.fail(list, "no entry named \"" + name + "\"");
}

// `<key>-data` (base64) wins over `<key>` (a file path), as in client-go.
std::string pem_from(const YAML::Node& body, const std::string& key, const std::string& path, const Ctx& c,
                     const std::string& where) {
  std::string data = scalar(body, (key + "-data").c_str(), c, where);
  if (!data.empty()) {
    auto decoded = detail::base64_decode(data);
    if (!decoded) c.fail(where + "." + key + "-data", "invalid base64");
    if (decoded->empty()) c.fail(where + "." + key + "-data", "empty");
    return *decoded;
  }
  std::string file = scalar(body, key.c_str(), c, where);
  if (file.empty()) return {};
  std::string resolved = detail::resolve_relative(file, path);
  try {
    return detail::read_file_or_throw(resolved, "file");
  } catch (const ConfigLoadError& e) {
    c.fail(where + "." + key, e.what());
  }
}

}  // namespace

RestConfig parse_kubeconfig(const std::string& text, const std::string& path, const KubeconfigOptions& options) {
  Ctx c{"kubeconfig " + path};
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    c.fail("", "invalid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) c.fail("", "not a kubeconfig (expected a map at the top level)");

  std::string context_name = options.context;
  if (context_name.empty()) context_name = scalar(root, "current-context", c, "");
  if (context_name.empty()) c.fail("current-context", "not set and no context was given");

  std::string ctx_where;
  YAML::Node ctx = find_named(root, "contexts", "context", context_name, c, ctx_where);
  std::string cluster_name = scalar(ctx, "cluster", c, ctx_where);
  std::string user_name = scalar(ctx, "user", c, ctx_where);
  if (cluster_name.empty()) c.fail(ctx_where + ".cluster", "not set");

  RestConfig rc;
  rc.source = c.prefix + " (context " + context_name + ")";
  rc.default_namespace = scalar(ctx, "namespace", c, ctx_where);
  rc.tls.origin = rc.source;

  std::string cl_where;
  YAML::Node cluster = find_named(root, "clusters", "cluster", cluster_name, c, cl_where);
  rc.server = scalar(cluster, "server", c, cl_where);
  if (rc.server.empty()) c.fail(cl_where + ".server", "not set");
  if (rc.server.rfind("https://", 0) != 0 && rc.server.rfind("http://", 0) != 0) {
    c.fail(cl_where + ".server", "\"" + rc.server + "\" must start with https:// or http://");
  }
  while (!rc.server.empty() && rc.server.back() == '/') rc.server.pop_back();
  rc.tls.insecure_skip_verify = boolean(cluster, "insecure-skip-tls-verify", c, cl_where);
  rc.tls.ca_pem = pem_from(cluster, "certificate-authority", path, c, cl_where);
  if (rc.tls.insecure_skip_verify && !rc.tls.ca_pem.empty()) {
    c.fail(cl_where, "insecure-skip-tls-verify cannot be combined with a certificate authority");
  }
  if (rc.tls.ca_pem.empty() && !rc.tls.insecure_skip_verify) rc.tls.use_system_cas = true;

  if (!user_name.empty()) {
    std::string u_where;
    YAML::Node user = find_named(root, "users", "user", user_name, c, u_where);
    if (user["exec"] && !user["exec"].IsNull()) c.fail(u_where + ".exec", "exec credential plugins are not supported");
    if (user["auth-provider"] && !user["auth-provider"].IsNull()) {
      c.fail(u_where + ".auth-provider", "auth providers are not supported");
    }
    if (!scalar(user, "username", c, u_where).empty() || !scalar(user, "password", c, u_where).empty()) {
      c.fail(u_where + ".username", "basic authentication is not supported");
    }
    std::string token = scalar(user, "token", c, u_where);
    std::string token_file = scalar(user, "tokenFile", c, u_where);
    if (!token.empty()) {
      rc.token = http::TokenSource::fixed(token);
    } else if (!token_file.empty()) {
      try {
        rc.token = http::TokenSource::file(detail::resolve_relative(token_file, path), options.token_recheck);
      } catch (const std::exception& e) {
        c.fail(u_where + ".tokenFile", e.what());
      }
    }
    rc.tls.client_cert_pem = pem_from(user, "client-certificate", path, c, u_where);
    rc.tls.client_key_pem = pem_from(user, "client-key", path, c, u_where);
    if (rc.tls.client_cert_pem.empty() != rc.tls.client_key_pem.empty()) {
      c.fail(u_where, rc.tls.client_cert_pem.empty() ? "client-key without client-certificate"
                                                     : "client-certificate without client-key");
    }
  }
  return rc;
}

RestConfig load_kubeconfig(const std::string& path, const KubeconfigOptions& options) {
  std::string text = detail::read_file_or_throw(path, "kubeconfig");
  return parse_kubeconfig(text, path, options);
}

}  // namespace kmetrics::cluster
