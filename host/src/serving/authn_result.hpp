// The outcome of one authenticator, in k8s.io/apiserver's three-way form: it authenticated the
// request, it had no opinion (try the next), or it failed (remembered: the request gets 401 unless
// a later authenticator succeeds).
// THREADING: a plain value type.
#pragma once

#include <string>

#include "serving/user_info.hpp"

namespace kmetrics {

struct AuthnResult {
  enum class Kind { no_opinion, authenticated, failed };
  Kind kind = Kind::no_opinion;
  UserInfo user;
  std::string error;   // for failed
  std::string method;  // "requestheader", "x509", "token", "anonymous"

  static AuthnResult none() { return {}; }
  static AuthnResult fail(std::string why) { return {Kind::failed, {}, std::move(why), {}}; }
  static AuthnResult ok(UserInfo u, std::string method) { return {Kind::authenticated, std::move(u), {}, std::move(method)}; }
  bool authenticated() const { return kind == Kind::authenticated; }
};

}  // namespace kmetrics
