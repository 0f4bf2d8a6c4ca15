// Strict, self-documenting plugin configuration.
//
// A plugin declares its config struct's fields once; the same declaration decodes the JSON the host
// passes (unknown keys are errors with their path, every error is reported, not only the first),
// produces the JSON Schema the plugin publishes, and the example config with every default. So the
// schema and the decoder cannot disagree.
//
//   struct Config { std::string mode = "auto"; sdk::Duration timeout = std::chrono::seconds(10); };
//   void describe(sdk::ConfigSpec<Config>& s) {
//     s.field("mode", &Config::mode, "Which endpoint to scrape.").oneOf({"resource", "summary", "auto"});
//     s.field("timeout", &Config::timeout, "Per-request timeout.").min(std::chrono::seconds(1));
//   }
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "kmetrics/sdk/diag.hpp"
#include "kmetrics/sdk/duration.hpp"

namespace kmetrics::sdk {

namespace config_detail {

inline std::string join(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

inline std::string typeName(const nlohmann::json& j) { return j.type_name(); }

template <class T>
struct Codec;

template <>
struct Codec<bool> {
  static nlohmann::json schema() { return {{"type", "boolean"}}; }
  static std::optional<std::string> decode(const nlohmann::json& j, bool& out) {
    if (!j.is_boolean()) {
      return "expected a boolean, got " + typeName(j);
    }
    out = j.get<bool>();
    return std::nullopt;
  }
  static nlohmann::json encode(bool v) { return v; }
};

template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
struct Codec<T> {
  static nlohmann::json schema() {
    return {{"type", "integer"},
            {"minimum", std::numeric_limits<T>::min()},
            {"maximum", std::numeric_limits<T>::max()}};
  }
  static std::optional<std::string> decode(const nlohmann::json& j, T& out) {
    if (j.is_number_integer() || j.is_number_unsigned()) {
      if (j.is_number_unsigned()) {
        const auto v = j.get<uint64_t>();
        if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
          return "value " + j.dump() + " out of range";
        }
        out = static_cast<T>(v);
        return std::nullopt;
      }
      const auto v = j.get<int64_t>();
      if ((std::is_unsigned_v<T> && v < 0) ||
          (!std::is_unsigned_v<T> && (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
                                      v > static_cast<int64_t>(std::numeric_limits<T>::max())))) {
        return "value " + j.dump() + " out of range";
      }
      out = static_cast<T>(v);
      return std::nullopt;
    }
    return "expected an integer, got " + (j.is_number() ? std::string("a fraction") : typeName(j));
  }
  static nlohmann::json encode(T v) { return v; }
};

template <>
struct Codec<double> {
  static nlohmann::json schema() { return {{"type", "number"}}; }
  static std::optional<std::string> decode(const nlohmann::json& j, double& out) {
    if (!j.is_number()) {
      return "expected a number, got " + typeName(j);
    }
    out = j.get<double>();
    return std::nullopt;
  }
  static nlohmann::json encode(double v) { return v; }
};

template <>
struct Codec<std::string> {
  static nlohmann::json schema() { return {{"type", "string"}}; }
  static std::optional<std::string> decode(const nlohmann::json& j, std::string& out) {
    if (!j.is_string()) {
      return "expected a string, got " + typeName(j);
    }
    out = j.get<std::string>();
    return std::nullopt;
  }
  static nlohmann::json encode(const std::string& v) { return v; }
};

template <>
struct Codec<Duration> {
  static nlohmann::json schema() {
    return {{"type", "string"},
            {"pattern", "^[-+]?([0-9]*(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$|^0$"},
            {"format", "go-duration"}};
  }
  static std::optional<std::string> decode(const nlohmann::json& j, Duration& out) {
    if (!j.is_string()) {
      return "expected a duration string such as \"10s\", got " + typeName(j);
    }
    auto d = parseDuration(j.get<std::string>());
    if (!d) {
      return "invalid duration " + j.dump() + " (use Go syntax such as \"500ms\", \"15s\", \"1m30s\")";
    }
    out = *d;
    return std::nullopt;
  }
  static nlohmann::json encode(Duration v) { return formatDuration(v); }
};

template <>
struct Codec<std::vector<std::string>> {
  static nlohmann::json schema() { return {{"type", "array"}, {"items", {{"type", "string"}}}}; }
  static std::optional<std::string> decode(const nlohmann::json& j, std::vector<std::string>& out) {
    if (!j.is_array()) {
      return "expected an array of strings, got " + typeName(j);
    }
    std::vector<std::string> v;
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) {
        return "element " + std::to_string(i) + ": expected a string, got " + typeName(j[i]);
      }
      v.push_back(j[i].get<std::string>());
    }
    out = std::move(v);
    return std::nullopt;
  }
  static nlohmann::json encode(const std::vector<std::string>& v) { return v; }
};

template <>
struct Codec<std::map<std::string, std::string>> {
  static nlohmann::json schema() {
    return {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
  }
  static std::optional<std::string> decode(const nlohmann::json& j,
                                           std::map<std::string, std::string>& out) {
    if (!j.is_object()) {
      return "expected an object of strings, got " + typeName(j);
    }
    std::map<std::string, std::string> m;
    for (const auto& [k, v] : j.items()) {
      if (!v.is_string()) {
        return "key \"" + k + "\": expected a string, got " + typeName(v);
      }
      m[k] = v.get<std::string>();
    }
    out = std::move(m);
    return std::nullopt;
  }
  static nlohmann::json encode(const std::map<std::string, std::string>& v) { return v; }
};

}  // namespace config_detail

template <class C>
class ConfigSpec;

// One declared field; returned by ConfigSpec::field so constraints can be chained.
template <class C, class T>
class FieldSpec {
 public:
  FieldSpec(std::string name, T C::*member, std::string description)
      : name_(std::move(name)), member_(member), description_(std::move(description)) {}

  // The value must be one of `values` (strings and string lists).
  FieldSpec& oneOf(std::vector<std::string> values) {
    one_of_ = std::move(values);
    return *this;
  }
  FieldSpec& min(T v) {
    min_ = v;
    return *this;
  }
  FieldSpec& max(T v) {
    max_ = v;
    return *this;
  }
  FieldSpec& required() {
    required_ = true;
    return *this;
  }

 private:
  friend class ConfigSpec<C>;
  using Codec = config_detail::Codec<T>;

  bool checkOneOf(const std::string& v) const {
    for (const auto& o : one_of_) {
      if (o == v) {
        return true;
      }
    }
    return false;
  }

  std::string oneOfList() const {
    std::string s;
    for (const auto& o : one_of_) {
      s += (s.empty() ? "" : ", ") + std::string("\"") + o + "\"";
    }
    return s;
  }

  // Returns the error message, or nullopt.
  std::optional<std::string> decode(const nlohmann::json& j, C& out) const {
    T value{};
    if (auto err = Codec::decode(j, value)) {
      return err;
    }
    if constexpr (std::is_same_v<T, std::string>) {
      if (!one_of_.empty() && !checkOneOf(value)) {
        return "invalid value " + j.dump() + "; valid values: " + oneOfList();
      }
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      for (const auto& v : value) {
        if (!one_of_.empty() && !checkOneOf(v)) {
          return "invalid element \"" + v + "\"; valid values: " + oneOfList();
        }
      }
    } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, Duration>) {
      if (min_ && value < *min_) {
        return "value " + j.dump() + " is below the minimum " + Codec::encode(*min_).dump();
      }
      if (max_ && value > *max_) {
        return "value " + j.dump() + " is above the maximum " + Codec::encode(*max_).dump();
      }
    }
    out.*member_ = std::move(value);
    return std::nullopt;
  }

  nlohmann::json schema(const C& defaults) const {
    nlohmann::json s = Codec::schema();
    s["description"] = description_;
    s["default"] = Codec::encode(defaults.*member_);
    if (!one_of_.empty()) {
      if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        s["items"]["enum"] = one_of_;
      } else {
        s["enum"] = one_of_;
      }
    }
    if constexpr (std::is_arithmetic_v<T>) {
      if (min_) {
        s["minimum"] = *min_;
      }
      if (max_) {
        s["maximum"] = *max_;
      }
    }
    return s;
  }

  std::string name_;
  T C::*member_;
  std::string description_;
  std::vector<std::string> one_of_;
  std::optional<T> min_, max_;
  bool required_ = false;
};

// The declared fields of config struct C (C must be default-constructible with its defaults).
template <class C>
class ConfigSpec {
 public:
  template <class T>
  FieldSpec<C, T>& field(std::string name, T C::*member, std::string description) {
    auto f = std::make_shared<FieldSpec<C, T>>(std::move(name), member, std::move(description));
    FieldSpec<C, T>& ref = *f;
    entries_.push_back(Entry{
        [f]() -> const std::string& { return f->name_; },
        [f]() { return f->required_; },
        [f](const nlohmann::json& j, C& out) { return f->decode(j, out); },
        [f](const C& d) { return f->schema(d); },
    });
    return ref;
  }

  // A check across fields, run after every field decoded; returns (path, message) problems.
  void validate(std::function<std::vector<Diagnostic>(const C&)> check) {
    checks_.push_back(std::move(check));
  }

  // Decodes `j` into `out` (starting from C's defaults). Every problem is appended to `errors`
  // with its path under `base_path`. Returns true when there were none.
  bool decode(const nlohmann::json& j, C& out, const std::string& base_path,
              std::vector<Diagnostic>& errors) const {
    const size_t before = errors.size();
    out = C{};
    if (j.is_null()) {
      // An absent config means all defaults.
    } else if (!j.is_object()) {
      errors.push_back({base_path, "expected an object, got " + std::string(j.type_name())});
      return false;
    } else {
      for (const auto& [key, value] : j.items()) {
        const Entry* e = find(key);
        if (e == nullptr) {
          errors.push_back({config_detail::join(base_path, key), "unknown key; valid keys: " + keyList()});
          continue;
        }
        if (auto err = e->decode(value, out)) {
          errors.push_back({config_detail::join(base_path, key), *err});
        }
      }
    }
    for (const auto& e : entries_) {
      if (e.required() && (!j.is_object() || !j.contains(e.name()))) {
        errors.push_back({config_detail::join(base_path, e.name()), "required key is missing"});
      }
    }
    if (errors.size() == before) {
      for (const auto& check : checks_) {
        for (auto& d : check(out)) {
          d.path = config_detail::join(base_path, d.path);
          errors.push_back(std::move(d));
        }
      }
    }
    return errors.size() == before;
  }

  // JSON Schema (draft 2020-12) of the config object.
  nlohmann::json schema(const std::string& title) const {
    const C defaults{};
    nlohmann::json props = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    for (const auto& e : entries_) {
      props[e.name()] = e.schema(defaults);
      if (e.required()) {
        required.push_back(e.name());
      }
    }
    nlohmann::json s = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                        {"title", title},
                        {"type", "object"},
                        {"additionalProperties", false},
                        {"properties", props}};
    if (!required.empty()) {
      s["required"] = required;
    }
    return s;
  }

  // Every field with its default value.
  nlohmann::json example() const {
    const C defaults{};
    nlohmann::json ex = nlohmann::json::object();
    for (const auto& e : entries_) {
      ex[e.name()] = e.schema(defaults)["default"];
    }
    return ex;
  }

 private:
  struct Entry {
    std::function<const std::string&()> name;
    std::function<bool()> required;
    std::function<std::optional<std::string>(const nlohmann::json&, C&)> decode;
    std::function<nlohmann::json(const C&)> schema;
  };

  const Entry* find(const std::string& key) const {
    for (const auto& e : entries_) {
      if (e.name() == key) {
        return &e;
      }
    }
    return nullptr;
  }

  std::string keyList() const {
    std::string s;
    for (const auto& e : entries_) {
      s += (s.empty() ? "" : ", ") + e.name();
    }
    return s;
  }

  std::vector<Entry> entries_;
  std::vector<std::function<std::vector<Diagnostic>(const C&)>> checks_;
};

// Parses config bytes and decodes them with `spec`; reports JSON syntax errors with their offset.
template <class C>
bool decodeConfig(const ConfigSpec<C>& spec, std::string_view json_text, C& out,
                  std::vector<Diagnostic>& errors) {
  nlohmann::json j;
  if (!json_text.empty()) {
    try {
      j = nlohmann::json::parse(json_text.begin(), json_text.end());
    } catch (const nlohmann::json::parse_error& e) {
      errors.push_back({"", "config is not valid JSON at byte " + std::to_string(e.byte) + ": " +
                                e.what()});
      return false;
    }
  }
  return spec.decode(j, out, "", errors);
}

}  // namespace kmetrics::sdk
