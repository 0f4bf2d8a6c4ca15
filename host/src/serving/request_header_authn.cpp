#include "serving/request_header_authn.hpp"

#include <algorithm>

namespace kmetrics {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string path_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

bool is_request_header_name(const AuthenticationConfig& config, std::string_view name) {
  for (const auto& h : config.requestheader_username_headers)
    if (iequals(h, name)) return true;
  for (const auto& h : config.requestheader_group_headers)
    if (iequals(h, name)) return true;
  for (const auto& p : config.requestheader_extra_headers_prefix)
    if (!p.empty() && istarts_with(name, p)) return true;
  return false;
}

AuthnResult authenticate_request_header(const AuthenticationConfig& config, const PeerChain& peer,
                                        const RequestHeaders& headers) {
  if (!config.requestheader_ca || config.requestheader_ca->size() == 0) return AuthnResult::none();
  if (!peer.leaf) return AuthnResult::none();
  // Verify first, as x509.Verifier does: a cert from another CA is an error even without headers.
  std::string why = config.requestheader_ca->verify_client(peer.leaf.get(), peer.intermediates);
  if (!why.empty()) return AuthnResult::fail("verifying certificate for request-header authentication: " + why);
  if (!config.requestheader_allowed_names.empty()) {
    std::string cn = subject_cn(peer.leaf.get());
    const auto& allowed = config.requestheader_allowed_names;
    if (std::find(allowed.begin(), allowed.end(), cn) == allowed.end())
      return AuthnResult::fail("x509: subject with cn=" + cn + " is not in the allowed list");
  }

  UserInfo user;
  for (const auto& h : config.requestheader_username_headers) {
    for (const auto& v : header_values(headers, h)) {
      if (!v.empty()) {
        user.name = v;
        break;
      }
    }
    if (!user.name.empty()) break;
  }
  if (user.name.empty()) return AuthnResult::none();
  for (const auto& h : config.requestheader_group_headers)
    for (const auto& v : header_values(headers, h))
      if (!v.empty()) user.groups.push_back(v);
  for (const auto& prefix : config.requestheader_extra_headers_prefix) {
    if (prefix.empty()) continue;
    for (const auto& [name, value] : headers) {
      if (!istarts_with(name, prefix) || name.size() == prefix.size()) continue;
      std::string key = path_unescape(to_lower(std::string_view(name).substr(prefix.size())));
      user.extra[key].push_back(value);
    }
  }
  return AuthnResult::ok(std::move(user), "requestheader");
}

}  // namespace kmetrics
