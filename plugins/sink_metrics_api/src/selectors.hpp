// Label and field selectors of list requests, with Kubernetes' syntax and error messages.
//   labelSelector: a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a   (comma-separated, ANDed)
//   fieldSelector: metadata.name=x, metadata.namespace!=y            (others are rejected)
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kmetrics::metrics_api {

// Looks a label up by key on the object being matched.
using LabelLookup = std::function<std::optional<std::string_view>(std::string_view key)>;

class LabelSelector {
 public:
  // Parses a selector; on failure returns nullopt and sets `error` to apiserver's wording.
  static std::optional<LabelSelector> parse(std::string_view text, std::string* error);

  bool matches(const LabelLookup& labels) const;
  bool empty() const { return requirements_.empty(); }

  // A requirement a label index can answer: every object the selector matches has the label `key`
  // with one of `values` (distinct, in selector order). Taken from an `a=b`, `a==b` or `a in (x,y)`
  // requirement, the one with the fewest values (the first of those); nullopt when there is none.
  struct IndexTerm {
    std::string_view key;
    std::vector<std::string_view> values;
  };
  std::optional<IndexTerm> indexTerm() const;

 private:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

class FieldSelector {
 public:
  // `allowed` lists the supported field names; anything else is an error worded as apiserver's:
  // `"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"`.
  static std::optional<FieldSelector> parse(std::string_view text, const std::vector<std::string>& allowed,
                                            std::string* error);

  // `value(field)` gives the object's value for a field.
  bool matches(const std::function<std::string_view(std::string_view field)>& value) const;

 private:
  struct Term {
    std::string field;
    bool negate;
    std::string value;
  };
  std::vector<Term> terms_;
};

}  // namespace kmetrics::metrics_api
