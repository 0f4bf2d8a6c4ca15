#include "config/yaml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <set>

#include "config/yaml_json.hpp"

namespace kmetrics::config {
namespace {

std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Scalar: break;
  }
  switch (scalar_type(n)) {
    case ScalarType::boolean: return "a boolean (" + n.Scalar() + ")";
    case ScalarType::integer: return "an integer (" + n.Scalar() + ")";
    case ScalarType::floating: return "a number (" + n.Scalar() + ")";
    default: return "a string (\"" + n.Scalar() + "\")";
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 4) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

MapReader::MapReader(const YAML::Node& node, std::string path, DecodeContext& ctx)
    : node_(node), path_(std::move(path)), ctx_(ctx) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    ctx_.errors.push_back(
        ConfigError{path_, "expected a mapping, got " + describe(node), location_of(node, ctx_.file)});
    return;
  }
  is_map_ = true;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      ctx_.errors.push_back(ConfigError{path_, "mapping keys must be strings", location_of(kv.first, ctx_.file)});
    } else if (!seen.insert(kv.first.Scalar()).second) {
      ctx_.errors.push_back(ConfigError{child_path(kv.first.Scalar()), "duplicate key", location_of(kv.first, ctx_.file)});
    }
  }
}

std::string MapReader::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

YAML::Node MapReader::lookup(std::string_view key) {
  known_.emplace_back(key);
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) {
      if (kv.second.IsNull()) return YAML::Node(YAML::NodeType::Undefined);  // "key:" keeps the default
      return kv.second;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node MapReader::raw(std::string_view key) { return lookup(key); }

void MapReader::type_error(std::string_view key, const YAML::Node& value, std::string_view expected) {
  ctx_.errors.push_back(ConfigError{child_path(key), "expected " + std::string(expected) + ", got " + describe(value),
                                    location_of(value, ctx_.file)});
}

void MapReader::record(std::string_view key, const YAML::Node& value) {
  ctx_.provenance.set_file(child_path(key), location_of(value, ctx_.file));
}

void MapReader::read(std::string_view key, std::string& out) {
  YAML::Node v = lookup(key);
  if (!v.IsDefined()) return;
  if (!v.IsScalar()) return type_error(key, v, "a string");
  out = v.Scalar();
  record(key, v);
}

void MapReader::read(std::string_view key, bool& out) {
  YAML::Node v = lookup(key);
  if (!v.IsDefined()) return;
  if (!v.IsScalar() || scalar_type(v) != ScalarType::boolean) return type_error(key, v, "a boolean (true or false)");
  const std::string& s = v.Scalar();
  out = s == "true" || s == "True" || s == "TRUE";
  record(key, v);
}

void MapReader::read(std::string_view key, int& out) {
  YAML::Node v = lookup(key);
  if (!v.IsDefined()) return;
  if (!v.IsScalar() || scalar_type(v) != ScalarType::integer) return type_error(key, v, "an integer");
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(v.Scalar().c_str(), &end, 0);
  if (errno == ERANGE || !end || *end != '\0' || n < INT_MIN || n > INT_MAX) {
    ctx_.errors.push_back(ConfigError{child_path(key), "integer " + v.Scalar() + " is out of range",
                                      location_of(v, ctx_.file)});
    return;
  }
  out = static_cast<int>(n);
  record(key, v);
}

void MapReader::read(std::string_view key, Duration& out) {
  YAML::Node v = lookup(key);
  if (!v.IsDefined()) return;
  // A bare number is rejected: "15" could mean seconds or nanoseconds, Go syntax says which.
  if (!v.IsScalar() || scalar_type(v) == ScalarType::integer || scalar_type(v) == ScalarType::floating) {
    if (v.IsScalar() && v.Scalar() == "0") {
      out = Duration{0};
      record(key, v);
      return;
    }
    return type_error(key, v, "a duration string such as \"15s\", \"1m0s\" or \"500ms\"");
  }
  DurationParse p = parse_go_duration(v.Scalar());
  if (!p.ok()) {
    ctx_.errors.push_back(ConfigError{child_path(key), p.error, location_of(v, ctx_.file)});
    return;
  }
  out = p.value;
  record(key, v);
}

void MapReader::read(std::string_view key, std::vector<std::string>& out) {
  YAML::Node v = lookup(key);
  if (!v.IsDefined()) return;
  if (!v.IsSequence()) return type_error(key, v, "a list of strings");
  std::vector<std::string> items;
  bool ok = true;
  std::size_t i = 0;
  for (const auto& item : v) {
    if (!item.IsScalar()) {
      ctx_.errors.push_back(ConfigError{child_path(key) + "[" + std::to_string(i) + "]",
                                        "expected a string, got " + describe(item), location_of(item, ctx_.file)});
      ok = false;
    } else {
      items.push_back(item.Scalar());
    }
    ++i;
  }
  if (!ok) return;
  out = std::move(items);
  record(key, v);
}

void MapReader::section(std::string_view key, const std::function<void(MapReader&)>& fn) {
  YAML::Node v = lookup(key);
  if (!v.IsDefined()) return;
  MapReader sub(v, child_path(key), ctx_);
  fn(sub);
  sub.finish();
}

void MapReader::finish() {
  if (!is_map_) return;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) continue;
    const std::string& k = kv.first.Scalar();
    if (std::find(known_.begin(), known_.end(), k) != known_.end()) continue;
    std::string msg = "unknown key";
    std::string hint = closest_match(k, known_);
    if (!hint.empty()) msg += " (did you mean \"" + hint + "\"?)";
    msg += "; valid keys: ";
    for (std::size_t i = 0; i < known_.size(); ++i) msg += (i ? ", " : "") + known_[i];
    ctx_.errors.push_back(ConfigError{child_path(k), msg, location_of(kv.first, ctx_.file)});
  }
}

}  // namespace kmetrics::config
