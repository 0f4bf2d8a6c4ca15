// Label selectors as metrics-server's --node-selector accepts them (labels.Parse): comma-separated
// requirements that must all hold: `key=value`, `key==value`, `key!=value` (also true when the label
// is absent), `key` (exists), `!key` (absent). Set-based `in`/`notin` are not supported.
// Immutable after parse; matches() is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cluster/labels.hpp"
#include "cluster/pod_info.hpp"

namespace kmetrics::cluster {

class LabelSelector {
 public:
  struct Requirement {
    enum class Op { equals, not_equals, exists, not_exists };
    std::string key;
    Op op = Op::exists;
    std::string value;
  };

  LabelSelector() = default;  // selects everything
  // Throws std::invalid_argument: `invalid label selector "a=b=c": ...`.
  static LabelSelector parse(std::string_view text);

  bool empty() const { return requirements_.empty(); }
  bool matches(const Labels& labels) const;
  bool matches(const PodLabels& labels) const;
  const std::vector<Requirement>& requirements() const { return requirements_; }
  // Canonical text ("a=b,c!=d"), usable as a labelSelector query parameter.
  std::string to_string() const;

 private:
  template <class L>
  bool matches_any(const L& labels) const;
  std::vector<Requirement> requirements_;
};

}  // namespace kmetrics::cluster
