// Label and field selectors as the kube-apiserver parses them (apimachinery labels/fields packages),
// reduced to what list/watch clients send: =, ==, !=, in, notin, exists, !key.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kmetrics::sim {

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist } op;
  std::string key;
  std::set<std::string> values;
};

class LabelSelector {
 public:
  // Empty string selects everything. Returns nullopt (with `error` set) on a syntax error.
  static std::optional<LabelSelector> parse(const std::string& text, std::string* error);
  bool matches(const std::map<std::string, std::string>& labels) const;
  bool empty() const { return reqs_.empty(); }

 private:
  std::vector<LabelRequirement> reqs_;
};

struct FieldRequirement {
  std::string field;
  bool negate = false;
  std::string value;
};

class FieldSelector {
 public:
  // `supported` lists the field names the resource accepts; anything else is an error, like the real
  // apiserver's `field label not supported: x`.
  static std::optional<FieldSelector> parse(const std::string& text, const std::set<std::string>& supported,
                                            std::string* error);
  // `lookup` returns the object's value for a field name.
  bool matches(const std::function<std::string(const std::string&)>& lookup) const;

 private:
  std::vector<FieldRequirement> reqs_;
};

}  // namespace kmetrics::sim
