// One configuration problem. Decoding and validation collect all of them; none stops at the first.
#pragma once

#include <string>
#include <vector>

namespace kmetrics::config {

// Where a value came from in a config file. line/column are 1-based; 0 means unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
};

struct ConfigError {
  // Dotted config path ("host.secure_serving.bind_address", "sources[1].type") or, for values that came
  // from the command line, the flag ("--kubelet-port"). Empty when the error is about the whole input.
  std::string path;
  std::string message;
  Location location;

  // "file:line:col: path: message"; parts that are unknown are left out, and the path is left out
  // when the message already names it (flag errors always name their flag).
  std::string to_string() const;
};

using ConfigErrors = std::vector<ConfigError>;

}  // namespace kmetrics::config
