// Who made a request, as the authenticators established it (Kubernetes user.Info).
// THREADING: a plain value type.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kmetrics {

inline constexpr const char* kAnonymousUser = "system:anonymous";
inline constexpr const char* kUnauthenticatedGroup = "system:unauthenticated";
inline constexpr const char* kAuthenticatedGroup = "system:authenticated";
inline constexpr const char* kMastersGroup = "system:masters";

struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;

  bool anonymous() const { return name == kAnonymousUser; }
  bool in_group(const std::string& g) const {
    for (const auto& x : groups)
      if (x == g) return true;
    return false;
  }
};

}  // namespace kmetrics
