#include "config/provenance.hpp"

namespace kmetrics::config {

void Provenance::set_file(const std::string& path, Location location) {
  origins_[path] = Origin{Origin::Kind::file, {}, std::move(location)};
}

void Provenance::set_flag(const std::string& path, std::string flag) {
  origins_[path] = Origin{Origin::Kind::flag, std::move(flag), {}};
}

Origin Provenance::get(std::string_view path) const {
  auto it = origins_.find(path);
  return it == origins_.end() ? Origin{} : it->second;
}

ConfigError Provenance::error(const std::string& path, std::string message) const {
  Origin o = get(path);
  switch (o.kind) {
    case Origin::Kind::flag:
      return ConfigError{o.flag, std::move(message), {}};
    case Origin::Kind::file:
      return ConfigError{path, std::move(message), o.location};
    case Origin::Kind::default_value:
      break;
  }
  return ConfigError{path, std::move(message), {}};
}

}  // namespace kmetrics::config
