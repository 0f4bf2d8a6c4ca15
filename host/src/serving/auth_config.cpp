#include "serving/auth_config.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace kmetrics {
namespace {

constexpr std::size_t kMaxCaFileBytes = 4 << 20;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string data(kMaxCaFileBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > kMaxCaFileBytes) throw std::runtime_error(path + " is larger than 4 MiB");
  return data;
}

std::shared_ptr<const CaBundle> bundle_or_null(const std::string& pem, const std::string& what) {
  if (pem.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  try {
    return CaBundle::from_pem(pem);
  } catch (const std::exception& e) {
    throw std::runtime_error(what + ": " + e.what());
  }
}

const std::string* find(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

std::string pem_of(const std::shared_ptr<const CaBundle>& b) { return b ? b->pem() : std::string(); }

}  // namespace

bool AuthenticationConfig::same_as(const AuthenticationConfig& o) const {
  return pem_of(client_ca) == pem_of(o.client_ca) && pem_of(requestheader_ca) == pem_of(o.requestheader_ca) &&
         requestheader_allowed_names == o.requestheader_allowed_names &&
         requestheader_username_headers == o.requestheader_username_headers &&
         requestheader_group_headers == o.requestheader_group_headers &&
         requestheader_extra_headers_prefix == o.requestheader_extra_headers_prefix && anonymous == o.anonymous;
}

std::vector<std::string> decode_string_list(const std::string& value) {
  if (value.empty()) return {};
  try {
    auto j = nlohmann::json::parse(value);
    if (j.is_null()) return {};
    return j.get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    throw std::invalid_argument("not a JSON string array: " + value);
  }
}

AuthenticationConfig build_authentication_config(const AuthenticationFlags& flags,
                                                 const std::map<std::string, std::string>* cm) {
  AuthenticationConfig c;
  if (!flags.client_ca_file.empty()) {
    c.client_ca = bundle_or_null(read_file(flags.client_ca_file), flags.client_ca_file);
  } else if (cm != nullptr) {
    if (const std::string* v = find(*cm, "client-ca-file")) c.client_ca = bundle_or_null(*v, "configmap client-ca-file");
  }
  if (!flags.requestheader_client_ca_file.empty()) {
    c.requestheader_ca = bundle_or_null(read_file(flags.requestheader_client_ca_file), flags.requestheader_client_ca_file);
    c.requestheader_allowed_names = flags.requestheader_allowed_names;
    c.requestheader_username_headers = flags.requestheader_username_headers;
    c.requestheader_group_headers = flags.requestheader_group_headers;
    c.requestheader_extra_headers_prefix = flags.requestheader_extra_headers_prefix;
  } else if (cm != nullptr && find(*cm, "requestheader-client-ca-file") != nullptr) {
    // The ConfigMap's request-header settings come as a set, replacing the flag values.
    c.requestheader_ca = bundle_or_null(*find(*cm, "requestheader-client-ca-file"), "configmap requestheader-client-ca-file");
    auto list = [&](const char* key, const std::vector<std::string>& fallback) {
      const std::string* v = find(*cm, key);
      try {
        return v ? decode_string_list(*v) : fallback;
      } catch (const std::exception& e) {
        throw std::runtime_error(std::string("configmap ") + key + ": " + e.what());
      }
    };
    c.requestheader_allowed_names = list("requestheader-allowed-names", {});
    c.requestheader_username_headers = list("requestheader-username-headers", flags.requestheader_username_headers);
    c.requestheader_group_headers = list("requestheader-group-headers", flags.requestheader_group_headers);
    c.requestheader_extra_headers_prefix =
        list("requestheader-extra-headers-prefix", flags.requestheader_extra_headers_prefix);
  }
  return c;
}

AuthConfigLoader::AuthConfigLoader(AuthenticationFlags flags, std::shared_ptr<ConfigMapSource> source,
                                   std::shared_ptr<AuthenticationConfigHolder> holder)
    : flags_(std::move(flags)), source_(std::move(source)), holder_(std::move(holder)) {
  if (!holder_) throw std::invalid_argument("AuthConfigLoader: no holder");
}

AuthConfigLoader::~AuthConfigLoader() { stop(); }

bool AuthConfigLoader::lookup_needed() const {
  return source_ && !flags_.skip_lookup &&
         (flags_.client_ca_file.empty() || flags_.requestheader_client_ca_file.empty());
}

AuthenticationConfig AuthConfigLoader::build(bool tolerate) {
  if (!lookup_needed()) return build_authentication_config(flags_, nullptr);
  ConfigMapFetch fetched = source_->fetch();
  if (!fetched.ok) {
    if (!tolerate)
      throw std::runtime_error("unable to get configmap/extension-apiserver-authentication in kube-system: " +
                               fetched.error);
    return build_authentication_config(flags_, nullptr);
  }
  return build_authentication_config(flags_, fetched.found ? &fetched.data : nullptr);
}

void AuthConfigLoader::load_initial() { holder_->set(build(flags_.tolerate_lookup_failure)); }

bool AuthConfigLoader::refresh(std::string* error) {
  try {
    // A failed refresh keeps the last good config rather than dropping to flags only.
    AuthenticationConfig next = build(false);
    if (next.same_as(*holder_->get())) return false;
    holder_->set(std::move(next));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

void AuthConfigLoader::start(std::chrono::milliseconds interval) {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      refresh();
      lock.lock();
    }
  });
}

void AuthConfigLoader::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kmetrics
