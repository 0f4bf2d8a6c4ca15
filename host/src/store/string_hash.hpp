// Transparent hashing so maps keyed by std::string can be searched with a std::string_view
// (no temporary string per lookup). Pure; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kmetrics {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace kmetrics
