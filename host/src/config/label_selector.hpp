// Kubernetes label-selector syntax (labels.Parse) for --node-selector: key=v, key==v, key!=v,
// key in (a,b), key notin (a,b), key, !key — comma-separated, all must hold.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kmetrics::config {

struct LabelRequirement {
  enum class Op { equals, not_equals, in, not_in, exists, not_exists };
  std::string key;
  Op op = Op::exists;
  std::vector<std::string> values;
};

struct LabelSelector {
  std::vector<LabelRequirement> requirements;  // empty selects everything
  bool matches(const std::map<std::string, std::string>& labels) const;
};

// Returns false and sets `error` on bad syntax or invalid keys/values.
bool parse_label_selector(std::string_view text, LabelSelector& out, std::string& error);

}  // namespace kmetrics::config
