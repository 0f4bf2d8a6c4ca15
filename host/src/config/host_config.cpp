#include "config/host_config.hpp"

namespace kmetrics::config {

std::string_view to_string(KubeletEndpoint e) {
  switch (e) {
    case KubeletEndpoint::resource: return "resource";
    case KubeletEndpoint::summary: return "summary";
    case KubeletEndpoint::automatic: return "auto";
  }
  return "resource";
}

bool parse_kubelet_endpoint(std::string_view text, KubeletEndpoint& out) {
  if (text == "resource") out = KubeletEndpoint::resource;
  else if (text == "summary") out = KubeletEndpoint::summary;
  else if (text == "auto") out = KubeletEndpoint::automatic;
  else return false;
  return true;
}

}  // namespace kmetrics::config
