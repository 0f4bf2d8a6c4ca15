// Label and annotation maps as stored in the cluster view: a vector of (key, value) sorted by key.
// Cheaper than std::map for the few labels an object has, and iteration order is stable.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmetrics::cluster {

using Labels = std::vector<std::pair<std::string, std::string>>;

// nullptr when absent.
inline const std::string* find_label(const Labels& labels, std::string_view key) {
  auto it = std::lower_bound(labels.begin(), labels.end(), key,
                             [](const auto& kv, std::string_view k) { return kv.first < k; });
  return (it != labels.end() && it->first == key) ? &it->second : nullptr;
}

}  // namespace kmetrics::cluster
