#include "config/flag_table.hpp"

namespace kmetrics::config {

const FlagSpec* find_flag(std::string_view name) {
  for (const auto& f : flag_table()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const FlagSpec* find_shorthand(char c) {
  for (const auto& f : flag_table()) {
    if (f.shorthand.size() == 1 && f.shorthand[0] == c) return &f;
  }
  return nullptr;
}

std::vector<FlagSection> flag_sections() {
  return {FlagSection::metrics_server, FlagSection::generic,        FlagSection::kubelet_client,
          FlagSection::secure_serving, FlagSection::authentication, FlagSection::authorization,
          FlagSection::audit,          FlagSection::features,       FlagSection::logging,
          FlagSection::kmetrics};
}

std::string_view section_title(FlagSection s) {
  switch (s) {
    case FlagSection::metrics_server: return "Metrics server flags";
    case FlagSection::generic: return "Generic flags";
    case FlagSection::kubelet_client: return "Kubelet client flags";
    case FlagSection::secure_serving: return "Apiserver secure serving flags";
    case FlagSection::authentication: return "Apiserver authentication flags";
    case FlagSection::authorization: return "Apiserver authorization flags";
    case FlagSection::audit: return "Apiserver audit log flags";
    case FlagSection::features: return "Features flags";
    case FlagSection::logging: return "Logging flags";
    case FlagSection::kmetrics: return "kmetrics flags";
  }
  return "";
}

}  // namespace kmetrics::config
