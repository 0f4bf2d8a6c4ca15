// What the authenticators trust, and where that comes from: metrics-server's flags and, for what
// the flags leave unset, the kube-system/extension-apiserver-authentication ConfigMap (the rules
// of k8s.io/apiserver DelegatingAuthenticationOptions). The result is an immutable
// AuthenticationConfig swapped atomically in an AuthenticationConfigHolder, so CA rotation or a
// changed ConfigMap applies to the next request without a restart.
// THREADING: AuthenticationConfig is immutable once published; the holder and the loader are
// thread-safe (the loader's refresh thread is the only writer).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "serving/x509_util.hpp"

namespace kmetrics {

struct AuthenticationConfig {
  std::shared_ptr<const CaBundle> client_ca;         // null: x509 client-cert authn off
  std::shared_ptr<const CaBundle> requestheader_ca;  // null: front-proxy (request-header) authn off
  std::vector<std::string> requestheader_allowed_names;  // empty: any CN signed by requestheader_ca
  std::vector<std::string> requestheader_username_headers{"x-remote-user"};
  std::vector<std::string> requestheader_group_headers{"x-remote-group"};
  std::vector<std::string> requestheader_extra_headers_prefix{"x-remote-extra-"};
  bool anonymous = true;  // metrics-server always enables anonymous; unauthorized anonymous → 403

  // Same trust material and names (used to skip no-op swaps).
  bool same_as(const AuthenticationConfig& other) const;
};

class AuthenticationConfigHolder {
 public:
  explicit AuthenticationConfigHolder(AuthenticationConfig initial = {})
      : current_(std::make_shared<const AuthenticationConfig>(std::move(initial))) {}
  std::shared_ptr<const AuthenticationConfig> get() const { return current_.load(); }
  void set(AuthenticationConfig config) { current_.store(std::make_shared<const AuthenticationConfig>(std::move(config))); }

 private:
  std::atomic<std::shared_ptr<const AuthenticationConfig>> current_;
};

// metrics-server's authentication flags (k8s.io/apiserver names and defaults).
struct AuthenticationFlags {
  std::string client_ca_file;
  std::string requestheader_client_ca_file;
  std::vector<std::string> requestheader_allowed_names;
  std::vector<std::string> requestheader_username_headers{"x-remote-user"};
  std::vector<std::string> requestheader_group_headers{"x-remote-group"};
  std::vector<std::string> requestheader_extra_headers_prefix{"x-remote-extra-"};
  bool skip_lookup = false;              // --authentication-skip-lookup
  bool tolerate_lookup_failure = false;  // --authentication-tolerate-lookup-failure
};

struct ConfigMapFetch {
  bool ok = false;     // false: transport or permission error, see `error`
  bool found = false;  // false with ok: the ConfigMap does not exist
  std::map<std::string, std::string> data;
  std::string error;
};

// Reads kube-system/extension-apiserver-authentication. Implemented by the app over its cluster
// client, or by HttpConfigMapSource (kube_client.hpp).
// THREADING: fetch is called from the loader's refresh thread only.
class ConfigMapSource {
 public:
  virtual ~ConfigMapSource() = default;
  virtual ConfigMapFetch fetch() = 0;
};

// Decodes a JSON string-array ConfigMap value ('["a","b"]'; "" = empty). Throws std::invalid_argument.
std::vector<std::string> decode_string_list(const std::string& value);

// Flags first; the ConfigMap (when given) fills the client CA if --client-ca-file is unset, and all
// requestheader-* values if --requestheader-client-ca-file is unset. Throws std::runtime_error for
// unreadable files, bad PEM or bad JSON.
AuthenticationConfig build_authentication_config(const AuthenticationFlags& flags,
                                                 const std::map<std::string, std::string>* configmap);

class AuthConfigLoader {
 public:
  // `source` may be null (no cluster lookup).
  AuthConfigLoader(AuthenticationFlags flags, std::shared_ptr<ConfigMapSource> source,
                   std::shared_ptr<AuthenticationConfigHolder> holder);
  ~AuthConfigLoader();

  // Builds and publishes the config once. Throws std::runtime_error when the lookup fails and
  // failures are not tolerated, or when the flags' files are bad.
  void load_initial();
  // Rebuilds from files + ConfigMap; publishes when something changed. Returns true on a swap.
  // On error keeps the current config and reports through `error`.
  bool refresh(std::string* error = nullptr);

  // Periodic refresh on a background thread (k8s re-reads every minute and on change).
  void start(std::chrono::milliseconds interval = std::chrono::seconds(30));
  void stop();

 private:
  bool lookup_needed() const;
  AuthenticationConfig build(bool tolerate);

  const AuthenticationFlags flags_;
  const std::shared_ptr<ConfigMapSource> source_;
  const std::shared_ptr<AuthenticationConfigHolder> holder_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kmetrics
