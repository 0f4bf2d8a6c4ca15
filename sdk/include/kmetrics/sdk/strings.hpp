// Conversions between kmetrics_str and std::string / std::string_view.
#pragma once

#include <string>
#include <string_view>

#include "kmetrics/abi.h"

namespace kmetrics::sdk {

inline kmetrics_str toStr(std::string_view s) { return kmetrics_str{s.data(), s.size()}; }

inline std::string_view view(kmetrics_str s) {
  return s.ptr == nullptr ? std::string_view{} : std::string_view{s.ptr, s.len};
}

inline std::string copy(kmetrics_str s) { return std::string(view(s)); }

}  // namespace kmetrics::sdk
