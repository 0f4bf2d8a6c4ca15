#include "config/label_selector.hpp"

#include <algorithm>

#include "config/text_match.hpp"

namespace kmetrics::config {
namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Qualified name: optional DNS-subdomain prefix "/", then a 63-char name.
bool valid_key(const std::string& k) {
  auto slash = k.find('/');
  if (slash == std::string::npos) return is_label_name(k);
  return is_dns_subdomain(std::string_view(k).substr(0, slash)) && is_label_name(std::string_view(k).substr(slash + 1));
}

bool valid_value(const std::string& v) { return v.empty() || is_label_name(v); }

// Splits on commas that are not inside parentheses.
std::vector<std::string> split_terms(std::string_view text, bool& balanced) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  balanced = true;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) balanced = false;
    if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (depth != 0) balanced = false;
  out.push_back(cur);
  return out;
}

bool parse_set(const std::string& rest, std::vector<std::string>& values) {
  std::string r = trim(rest);
  if (r.size() < 2 || r.front() != '(' || r.back() != ')') return false;
  std::string inner = r.substr(1, r.size() - 2);
  std::string cur;
  for (char c : inner + ",") {
    if (c == ',') {
      values.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return true;
}

}  // namespace

bool parse_label_selector(std::string_view text, LabelSelector& out, std::string& error) {
  out.requirements.clear();
  if (trim(text).empty()) return true;
  bool balanced = true;
  auto terms = split_terms(text, balanced);
  if (!balanced) {
    error = "unbalanced parentheses";
    return false;
  }
  for (const auto& raw : terms) {
    std::string t = trim(raw);
    LabelRequirement req;
    if (t.empty()) {
      error = "found ',', expected: !, identifier, or 'end of string'";
      return false;
    }
    std::size_t pos;
    if (t[0] == '!') {
      req.op = LabelRequirement::Op::not_exists;
      req.key = trim(t.substr(1));
    } else if ((pos = t.find("!=")) != std::string::npos) {
      req.op = LabelRequirement::Op::not_equals;
      req.key = trim(t.substr(0, pos));
      req.values = {trim(t.substr(pos + 2))};
    } else if ((pos = t.find("==")) != std::string::npos) {
      req.op = LabelRequirement::Op::equals;
      req.key = trim(t.substr(0, pos));
      req.values = {trim(t.substr(pos + 2))};
    } else if ((pos = t.find('=')) != std::string::npos) {
      req.op = LabelRequirement::Op::equals;
      req.key = trim(t.substr(0, pos));
      req.values = {trim(t.substr(pos + 1))};
    } else if ((pos = t.find(" notin")) != std::string::npos) {
      req.op = LabelRequirement::Op::not_in;
      req.key = trim(t.substr(0, pos));
      if (!parse_set(t.substr(pos + 6), req.values)) {
        error = "expected a set of values like (a,b) after notin in \"" + t + "\"";
        return false;
      }
    } else if ((pos = t.find(" in")) != std::string::npos) {
      req.op = LabelRequirement::Op::in;
      req.key = trim(t.substr(0, pos));
      if (!parse_set(t.substr(pos + 3), req.values)) {
        error = "expected a set of values like (a,b) after in in \"" + t + "\"";
        return false;
      }
    } else {
      req.op = LabelRequirement::Op::exists;
      req.key = t;
    }
    if (!valid_key(req.key)) {
      error = "invalid label key \"" + req.key + "\"";
      return false;
    }
    for (const auto& v : req.values) {
      if (!valid_value(v)) {
        error = "invalid label value \"" + v + "\" for key \"" + req.key + "\"";
        return false;
      }
    }
    out.requirements.push_back(std::move(req));
  }
  return true;
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& r : requirements) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    bool in_values = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    switch (r.op) {
      case LabelRequirement::Op::equals:
      case LabelRequirement::Op::in:
        if (!in_values) return false;
        break;
      case LabelRequirement::Op::not_equals:
      case LabelRequirement::Op::not_in:
        if (in_values) return false;  // a missing label satisfies != and notin, as in Kubernetes
        break;
      case LabelRequirement::Op::exists:
        if (!has) return false;
        break;
      case LabelRequirement::Op::not_exists:
        if (has) return false;
        break;
    }
  }
  return true;
}

}  // namespace kmetrics::config
