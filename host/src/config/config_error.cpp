#include "config/config_error.hpp"

namespace kmetrics::config {

std::string ConfigError::to_string() const {
  std::string out;
  if (!location.file.empty()) {
    out += location.file;
    if (location.known()) out += ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
    out += ": ";
  }
  if (!path.empty() && message.find(path) == std::string::npos) out += path + ": ";
  out += message;
  return out;
}

}  // namespace kmetrics::config
