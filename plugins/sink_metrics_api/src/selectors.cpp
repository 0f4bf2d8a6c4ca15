#include "selectors.hpp"

#include <algorithm>
#include <cctype>

namespace kmetrics::metrics_api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits on commas that are not inside parentheses.
std::vector<std::string_view> splitTerms(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')') --depth;
    if (s[i] == ',' && depth == 0) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// Label keys: optional DNS prefix "a.b/" then a name of [A-Za-z0-9._-] starting and ending alnum.
bool validKey(std::string_view k) {
  if (k.empty() || k.size() > 316) return false;
  const size_t slash = k.find('/');
  std::string_view name = slash == std::string_view::npos ? k : k.substr(slash + 1);
  if (name.empty() || name.size() > 63) return false;
  auto ok = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; };
  if (!std::isalnum(static_cast<unsigned char>(name.front())) || !std::isalnum(static_cast<unsigned char>(name.back()))) {
    return false;
  }
  if (!std::all_of(name.begin(), name.end(), ok)) return false;
  if (slash != std::string_view::npos) {
    std::string_view prefix = k.substr(0, slash);
    if (prefix.empty() || prefix.size() > 253) return false;
    for (char c : prefix) {
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
        return false;
      }
    }
  }
  return true;
}

bool validValue(std::string_view v) {
  if (v.empty()) return true;
  if (v.size() > 63) return false;
  auto ok = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; };
  return std::isalnum(static_cast<unsigned char>(v.front())) && std::isalnum(static_cast<unsigned char>(v.back())) &&
         std::all_of(v.begin(), v.end(), ok);
}

}  // namespace

std::optional<LabelSelector> LabelSelector::parse(std::string_view text, std::string* error) {
  LabelSelector sel;
  text = trim(text);
  if (text.empty()) {
    return sel;
  }
  for (std::string_view raw : splitTerms(text)) {
    std::string_view term = trim(raw);
    if (term.empty()) {
      *error = "unable to parse requirement: found '', expected: identifier";
      return std::nullopt;
    }
    Requirement r;
    auto fail = [&](const std::string& why) {
      *error = "unable to parse requirement: " + why;
      return std::nullopt;
    };
    if (term.front() == '!') {
      r.key = std::string(trim(term.substr(1)));
      r.op = Op::kDoesNotExist;
    } else if (size_t p = term.find("!="); p != std::string_view::npos) {
      r.key = std::string(trim(term.substr(0, p)));
      r.op = Op::kNotEquals;
      r.values.emplace_back(trim(term.substr(p + 2)));
    } else if (size_t p2 = term.find("=="); p2 != std::string_view::npos) {
      r.key = std::string(trim(term.substr(0, p2)));
      r.op = Op::kEquals;
      r.values.emplace_back(trim(term.substr(p2 + 2)));
    } else if (size_t p3 = term.find('='); p3 != std::string_view::npos) {
      r.key = std::string(trim(term.substr(0, p3)));
      r.op = Op::kEquals;
      r.values.emplace_back(trim(term.substr(p3 + 1)));
    } else if (size_t open = term.find('('); open != std::string_view::npos) {
      if (term.back() != ')') {
        return fail("found '" + std::string(term) + "', expected: )");
      }
      std::string_view head = trim(term.substr(0, open));
      const size_t space = head.find_last_of(" \t");
      if (space == std::string_view::npos) {
        return fail("found '" + std::string(head) + "', expected: in, notin");
      }
      std::string_view op = trim(head.substr(space + 1));
      r.key = std::string(trim(head.substr(0, space)));
      if (op == "in") {
        r.op = Op::kIn;
      } else if (op == "notin") {
        r.op = Op::kNotIn;
      } else {
        return fail("found '" + std::string(op) + "', expected: in, notin");
      }
      std::string_view inner = term.substr(open + 1, term.size() - open - 2);
      size_t start = 0;
      for (size_t i = 0; i <= inner.size(); ++i) {
        if (i == inner.size() || inner[i] == ',') {
          r.values.emplace_back(trim(inner.substr(start, i - start)));
          start = i + 1;
        }
      }
    } else {
      r.key = std::string(term);
      r.op = Op::kExists;
    }
    if (!validKey(r.key)) {
      *error = "unable to parse requirement: invalid label key \"" + r.key + "\"";
      return std::nullopt;
    }
    for (const auto& v : r.values) {
      if (!validValue(v)) {
        *error = "unable to parse requirement: invalid label value: \"" + v + "\"";
        return std::nullopt;
      }
    }
    sel.requirements_.push_back(std::move(r));
  }
  return sel;
}

bool LabelSelector::matches(const LabelLookup& labels) const {
  for (const auto& r : requirements_) {
    const auto v = labels(r.key);
    const bool in_values = v && std::find(r.values.begin(), r.values.end(), *v) != r.values.end();
    switch (r.op) {
      case Op::kEquals:
      case Op::kIn:
        if (!in_values) return false;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        if (in_values) return false;  // a missing label satisfies != and notin, as in Kubernetes
        break;
      case Op::kExists:
        if (!v) return false;
        break;
      case Op::kDoesNotExist:
        if (v) return false;
        break;
    }
  }
  return true;
}

std::optional<LabelSelector::IndexTerm> LabelSelector::indexTerm() const {
  const Requirement* best = nullptr;
  for (const auto& r : requirements_) {
    if ((r.op == Op::kEquals || r.op == Op::kIn) && (best == nullptr || r.values.size() < best->values.size())) {
      best = &r;
    }
  }
  if (best == nullptr) return std::nullopt;
  IndexTerm term{best->key, {}};
  for (const auto& v : best->values) {
    if (std::find(term.values.begin(), term.values.end(), v) == term.values.end()) term.values.push_back(v);
  }
  return term;
}

std::optional<FieldSelector> FieldSelector::parse(std::string_view text, const std::vector<std::string>& allowed,
                                                  std::string* error) {
  FieldSelector sel;
  text = trim(text);
  if (text.empty()) {
    return sel;
  }
  for (std::string_view raw : splitTerms(text)) {
    std::string_view term = trim(raw);
    Term t;
    size_t p;
    if ((p = term.find("!=")) != std::string_view::npos) {
      t = {std::string(trim(term.substr(0, p))), true, std::string(trim(term.substr(p + 2)))};
    } else if ((p = term.find("==")) != std::string_view::npos) {
      t = {std::string(trim(term.substr(0, p))), false, std::string(trim(term.substr(p + 2)))};
    } else if ((p = term.find('=')) != std::string_view::npos) {
      t = {std::string(trim(term.substr(0, p))), false, std::string(trim(term.substr(p + 1)))};
    } else {
      *error = "invalid selector: '" + std::string(text) + "'; can't understand '" + std::string(term) + "'";
      return std::nullopt;
    }
    if (std::find(allowed.begin(), allowed.end(), t.field) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) {
        list += (list.empty() ? "\"" : ", \"") + a + "\"";
      }
      *error = "\"" + t.field + "\" is not a known field selector: only " + list;
      return std::nullopt;
    }
    sel.terms_.push_back(std::move(t));
  }
  return sel;
}

bool FieldSelector::matches(const std::function<std::string_view(std::string_view)>& value) const {
  for (const auto& t : terms_) {
    if ((value(t.field) == t.value) == t.negate) {
      return false;
    }
  }
  return true;
}

}  // namespace kmetrics::metrics_api
