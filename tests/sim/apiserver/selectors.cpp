#include "apiserver/selectors.hpp"

#include <cctype>

namespace kmetrics::sim {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Splits on commas that are not inside parentheses (set-based values contain commas).
std::vector<std::string> splitTopLevel(const std::string& s) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool validKey(const std::string& k) {
  if (k.empty() || k.size() > 316) return false;
  for (char c : k) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/')) return false;
  }
  return true;
}

bool validValue(const std::string& v) {
  if (v.size() > 63) return false;
  for (char c : v) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

std::optional<LabelRequirement> parseRequirement(const std::string& raw, std::string* error) {
  const std::string term = trim(raw);
  LabelRequirement r{};
  auto fail = [&](const std::string& why) -> std::optional<LabelRequirement> {
    if (error) *error = "unable to parse requirement: " + why + " in \"" + term + "\"";
    return std::nullopt;
  };
  if (term.empty()) return fail("empty requirement");
  if (term[0] == '!') {
    r.op = LabelRequirement::Op::kDoesNotExist;
    r.key = trim(term.substr(1));
    if (!validKey(r.key)) return fail("invalid key");
    return r;
  }
  // Set-based: "key in (a,b)" / "key notin (a,b)"
  const size_t paren = term.find('(');
  if (paren != std::string::npos) {
    if (term.back() != ')') return fail("missing ')'");
    std::string head = trim(term.substr(0, paren));
    size_t sp = head.find_last_of(" \t");
    if (sp == std::string::npos) return fail("expected operator");
    std::string op = trim(head.substr(sp + 1));
    r.key = trim(head.substr(0, sp));
    if (op == "in") r.op = LabelRequirement::Op::kIn;
    else if (op == "notin") r.op = LabelRequirement::Op::kNotIn;
    else return fail("unknown operator " + op);
    if (!validKey(r.key)) return fail("invalid key");
    std::string inner = term.substr(paren + 1, term.size() - paren - 2);
    for (const auto& v : splitTopLevel(inner)) {
      std::string tv = trim(v);
      if (!validValue(tv)) return fail("invalid value");
      r.values.insert(tv);
    }
    return r;
  }
  size_t pos;
  if ((pos = term.find("!=")) != std::string::npos) {
    r.op = LabelRequirement::Op::kNotEquals;
    r.key = trim(term.substr(0, pos));
    r.values.insert(trim(term.substr(pos + 2)));
  } else if ((pos = term.find("==")) != std::string::npos) {
    r.op = LabelRequirement::Op::kEquals;
    r.key = trim(term.substr(0, pos));
    r.values.insert(trim(term.substr(pos + 2)));
  } else if ((pos = term.find('=')) != std::string::npos) {
    r.op = LabelRequirement::Op::kEquals;
    r.key = trim(term.substr(0, pos));
    r.values.insert(trim(term.substr(pos + 1)));
  } else {
    r.op = LabelRequirement::Op::kExists;
    r.key = term;
  }
  if (!validKey(r.key)) return fail("invalid key");
  for (const auto& v : r.values)
    if (!validValue(v)) return fail("invalid value");
  return r;
}

}  // namespace

std::optional<LabelSelector> LabelSelector::parse(const std::string& text, std::string* error) {
  LabelSelector sel;
  if (trim(text).empty()) return sel;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth < 0 || depth > 1) {
      if (error) *error = "unbalanced parentheses in \"" + text + "\"";
      return std::nullopt;
    }
  }
  if (depth != 0) {
    if (error) *error = "unbalanced parentheses in \"" + text + "\"";
    return std::nullopt;
  }
  for (const auto& part : splitTopLevel(text)) {
    auto r = parseRequirement(part, error);
    if (!r) return std::nullopt;
    sel.reqs_.push_back(std::move(*r));
  }
  return sel;
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& r : reqs_) {
    auto it = labels.find(r.key);
    const bool has = it != labels.end();
    switch (r.op) {
      case LabelRequirement::Op::kEquals:
      case LabelRequirement::Op::kIn:
        if (!has || r.values.count(it->second) == 0) return false;
        break;
      case LabelRequirement::Op::kNotEquals:
      case LabelRequirement::Op::kNotIn:
        // Like apimachinery: a missing key satisfies != and notin.
        if (has && r.values.count(it->second) != 0) return false;
        break;
      case LabelRequirement::Op::kExists:
        if (!has) return false;
        break;
      case LabelRequirement::Op::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

std::optional<FieldSelector> FieldSelector::parse(const std::string& text, const std::set<std::string>& supported,
                                                  std::string* error) {
  FieldSelector sel;
  if (trim(text).empty()) return sel;
  for (const auto& raw : splitTopLevel(text)) {
    const std::string term = trim(raw);
    FieldRequirement r;
    size_t pos;
    if ((pos = term.find("!=")) != std::string::npos) {
      r.negate = true;
      r.field = trim(term.substr(0, pos));
      r.value = trim(term.substr(pos + 2));
    } else if ((pos = term.find("==")) != std::string::npos) {
      r.field = trim(term.substr(0, pos));
      r.value = trim(term.substr(pos + 2));
    } else if ((pos = term.find('=')) != std::string::npos) {
      r.field = trim(term.substr(0, pos));
      r.value = trim(term.substr(pos + 1));
    } else {
      if (error) *error = "invalid selector: '" + text + "'; can't understand '" + term + "'";
      return std::nullopt;
    }
    if (supported.count(r.field) == 0) {
      if (error) *error = "field label not supported: " + r.field;
      return std::nullopt;
    }
    sel.reqs_.push_back(std::move(r));
  }
  return sel;
}

bool FieldSelector::matches(const std::function<std::string(const std::string&)>& lookup) const {
  for (const auto& r : reqs_) {
    const bool eq = lookup(r.field) == r.value;
    if (eq == r.negate) return false;
  }
  return true;
}

}  // namespace kmetrics::sim
