#include "cluster/label_selector.hpp"

#include <stdexcept>

namespace kmetrics::cluster {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Qualified name: optional DNS-subdomain prefix and '/', then a name of [A-Za-z0-9._-], <= 63,
// starting and ending alphanumeric.
bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 63 || !alnum(n.front()) || !alnum(n.back())) return false;
  for (char c : n) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool valid_key(std::string_view k) {
  auto slash = k.find('/');
  if (slash == std::string_view::npos) return valid_name(k);
  std::string_view prefix = k.substr(0, slash);
  if (prefix.empty() || prefix.size() > 253) return false;
  for (char c : prefix) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return valid_name(k.substr(slash + 1));
}

bool valid_value(std::string_view v) { return v.empty() || valid_name(v); }

}  // namespace

LabelSelector LabelSelector::parse(std::string_view text) {
  LabelSelector sel;
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("invalid label selector \"" + std::string(text) + "\": " + why);
  };
  if (trim(text).empty()) return sel;
  size_t start = 0;
  for (int n = 0; n < 1000; ++n) {  // bounded: a selector has a handful of terms
    size_t comma = text.find(',', start);
    std::string_view term = trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                  : comma - start));
    if (term.empty()) throw bad("empty requirement");
    Requirement r;
    size_t op = term.find_first_of("=!");
    if (op == std::string_view::npos) {
      r.key = std::string(term);
      r.op = Requirement::Op::exists;
    } else if (op == 0 && term[0] == '!') {
      r.key = std::string(trim(term.substr(1)));
      r.op = Requirement::Op::not_exists;
    } else {
      std::string_view key = trim(term.substr(0, op));
      std::string_view rest = term.substr(op);
      size_t oplen;
      if (rest.substr(0, 2) == "==") {
        r.op = Requirement::Op::equals;
        oplen = 2;
      } else if (rest.substr(0, 2) == "!=") {
        r.op = Requirement::Op::not_equals;
        oplen = 2;
      } else if (rest[0] == '=') {
        r.op = Requirement::Op::equals;
        oplen = 1;
      } else {
        throw bad("expected =, == or != after \"" + std::string(key) + "\"");
      }
      std::string_view value = trim(rest.substr(oplen));
      if (value.find_first_of("=!") != std::string_view::npos) throw bad("unexpected operator in value");
      if (!valid_value(value)) throw bad("invalid value \"" + std::string(value) + "\"");
      r.key = std::string(key);
      r.value = std::string(value);
    }
    if (!valid_key(r.key)) throw bad("invalid key \"" + r.key + "\"");
    sel.requirements_.push_back(std::move(r));
    if (comma == std::string_view::npos) return sel;
    start = comma + 1;
  }
  throw bad("too many requirements");
}

// One body for node labels (strings) and pod labels (views): find_label gives a pointer or an optional.
template <class L>
bool LabelSelector::matches_any(const L& labels) const {
  for (const auto& r : requirements_) {
    const auto v = find_label(labels, r.key);
    switch (r.op) {
      case Requirement::Op::equals:
        if (!v || *v != r.value) return false;
        break;
      case Requirement::Op::not_equals:
        if (v && *v == r.value) return false;
        break;
      case Requirement::Op::exists:
        if (!v) return false;
        break;
      case Requirement::Op::not_exists:
        if (v) return false;
        break;
    }
  }
  return true;
}

bool LabelSelector::matches(const Labels& labels) const { return matches_any(labels); }
bool LabelSelector::matches(const PodLabels& labels) const { return matches_any(labels); }

std::string LabelSelector::to_string() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ',';
    switch (r.op) {
      case Requirement::Op::equals: out += r.key + "=" + r.value; break;
      case Requirement::Op::not_equals: out += r.key + "!=" + r.value; break;
      case Requirement::Op::exists: out += r.key; break;
      case Requirement::Op::not_exists: out += "!" + r.key; break;
    }
  }
  return out;
}

}  // namespace kmetrics::cluster
