// Remembers where each config value came from (default, file position, or flag), so validation errors
// can point at the line or the flag the user actually wrote.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "config/config_error.hpp"

namespace kmetrics::config {

struct Origin {
  enum class Kind { default_value, file, flag };
  Kind kind = Kind::default_value;
  std::string flag;   // "--kubelet-port" when kind == flag
  Location location;  // when kind == file
};

class Provenance {
 public:
  void set_file(const std::string& path, Location location);
  void set_flag(const std::string& path, std::string flag);
  Origin get(std::string_view path) const;  // default_value when never set
  bool from_flag(std::string_view path) const { return get(path).kind == Origin::Kind::flag; }

  // An error about the value at `path`, attributed to the flag or file position it came from.
  ConfigError error(const std::string& path, std::string message) const;

 private:
  std::map<std::string, Origin, std::less<>> origins_;
};

}  // namespace kmetrics::config
