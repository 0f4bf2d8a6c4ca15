// Strict reading of one YAML mapping into typed fields. Every declared key is remembered so finish() can
// report the keys nobody declared ("unknown key; valid keys: ..."). Errors are collected, never thrown.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_error.hpp"
#include "config/duration.hpp"
#include "config/provenance.hpp"

namespace kmetrics::config {

struct DecodeContext {
  std::string file;
  ConfigErrors& errors;
  Provenance& provenance;
};

class MapReader {
 public:
  // `node` may be null/undefined (an empty section); anything other than a mapping is an error.
  MapReader(const YAML::Node& node, std::string path, DecodeContext& ctx);

  void read(std::string_view key, std::string& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, int& out);
  void read(std::string_view key, Duration& out);
  void read(std::string_view key, std::vector<std::string>& out);
  // Calls fn with a reader for the nested mapping, when the key is present.
  void section(std::string_view key, const std::function<void(MapReader&)>& fn);
  // Declares the key and returns its raw node (undefined when absent), for lists and opaque subtrees.
  YAML::Node raw(std::string_view key);

  // Reports undeclared keys. Call once, after every read.
  void finish();

  std::string child_path(std::string_view key) const;
  const std::string& path() const { return path_; }
  DecodeContext& context() { return ctx_; }

 private:
  YAML::Node lookup(std::string_view key);  // declares key; undefined when absent or null
  void type_error(std::string_view key, const YAML::Node& value, std::string_view expected);
  void record(std::string_view key, const YAML::Node& value);

  YAML::Node node_;
  std::string path_;
  DecodeContext& ctx_;
  std::vector<std::string> known_;
  bool is_map_ = false;
};

// Closest of `candidates` to `word` within a small edit distance, or "" — for "did you mean" hints.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace kmetrics::config
