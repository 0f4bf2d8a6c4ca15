#include "config/yaml_json.hpp"

#include <cerrno>
#include <cstdlib>

#include "config/text_match.hpp"

namespace kmetrics::config {
namespace {

const std::string kTagPrefix = "tag:yaml.org,2002:";

bool is_null_text(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }
bool is_true_text(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool is_false_text(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }

std::string key_path(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

}  // namespace

Location location_of(const YAML::Node& node, const std::string& file) {
  Location loc{file, 0, 0};
  YAML::Mark m = node.Mark();
  if (m.line >= 0) {
    loc.line = m.line + 1;
    loc.column = m.column + 1;
  }
  return loc;
}

ScalarType scalar_type(const YAML::Node& node) {
  if (node.IsNull()) return ScalarType::null;
  const std::string& tag = node.Tag();
  const std::string& s = node.Scalar();
  if (tag == "!") return ScalarType::string;  // quoted or block scalar: never re-typed
  if (tag.rfind(kTagPrefix, 0) == 0) {
    std::string t = tag.substr(kTagPrefix.size());
    if (t == "str") return ScalarType::string;
    if (t == "null") return ScalarType::null;
    if (t == "bool") return ScalarType::boolean;
    if (t == "int") return ScalarType::integer;
    if (t == "float") return ScalarType::floating;
  }
  if (is_null_text(s)) return ScalarType::null;
  if (is_true_text(s) || is_false_text(s)) return ScalarType::boolean;
  if (is_yaml_int(s)) return ScalarType::integer;
  if (is_yaml_float(s)) return ScalarType::floating;
  return ScalarType::string;
}

nlohmann::json yaml_to_json(const YAML::Node& node, const std::string& path, const std::string& file,
                            ConfigErrors& errors) {
  auto fail = [&](const std::string& msg) {
    errors.push_back(ConfigError{path, msg, location_of(node, file)});
    return nlohmann::json();
  };
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nlohmann::json();
    case YAML::NodeType::Sequence: {
      auto arr = nlohmann::json::array();
      std::size_t i = 0;
      for (const auto& item : node) {
        arr.push_back(yaml_to_json(item, path + "[" + std::to_string(i++) + "]", file, errors));
      }
      return arr;
    }
    case YAML::NodeType::Map: {
      auto obj = nlohmann::json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          errors.push_back(ConfigError{path, "mapping keys must be strings", location_of(kv.first, file)});
          continue;
        }
        std::string key = kv.first.Scalar();
        std::string child = key_path(path, key);
        if (obj.contains(key)) {
          errors.push_back(ConfigError{child, "duplicate key", location_of(kv.first, file)});
          continue;
        }
        obj[key] = yaml_to_json(kv.second, child, file, errors);
      }
      return obj;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& s = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag != "?" && tag != "!" && tag.rfind(kTagPrefix, 0) != 0) return fail("unsupported YAML tag " + tag);
  switch (scalar_type(node)) {
    case ScalarType::null:
      return nlohmann::json();
    case ScalarType::boolean:
      if (is_true_text(s)) return true;
      if (is_false_text(s)) return false;
      return fail("invalid boolean \"" + s + "\"");
    case ScalarType::integer: {
      int base = 10;
      std::string digits = s;
      if (s.rfind("0x", 0) == 0) base = 16, digits = s.substr(2);
      else if (s.rfind("0o", 0) == 0) base = 8, digits = s.substr(2);
      errno = 0;
      char* end = nullptr;
      if (!digits.empty() && digits[0] != '-') {
        unsigned long long u = std::strtoull(digits.c_str(), &end, base);
        if (errno == 0 && end && *end == '\0' && !digits.empty() && digits[0] != '+') {
          if (u <= static_cast<unsigned long long>(INT64_MAX)) return static_cast<std::int64_t>(u);
          return u;
        }
      }
      errno = 0;
      long long v = std::strtoll(digits.c_str(), &end, base);
      if (errno == ERANGE || !end || *end != '\0') return fail("integer \"" + s + "\" out of range or invalid");
      return static_cast<std::int64_t>(v);
    }
    case ScalarType::floating: {
      if (s.find("inf") != std::string::npos || s.find("Inf") != std::string::npos ||
          s.find("INF") != std::string::npos || s.find("nan") != std::string::npos ||
          s.find("NaN") != std::string::npos || s.find("NAN") != std::string::npos) {
        return fail("\"" + s + "\" cannot be represented in JSON");
      }
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (!end || *end != '\0') return fail("invalid number \"" + s + "\"");
      return d;
    }
    case ScalarType::string:
      return s;
  }
  return s;
}

}  // namespace kmetrics::config
