// Views over the host's cluster view (nodes and pods). Borrowed: valid during the callback only.
#pragma once

#include <optional>
#include <string_view>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

namespace detail {
// The value of `key` in a (key, value) array, if present.
inline std::optional<std::string_view> findLabel(const kmetrics_label* l, size_t n, std::string_view key) {
  for (size_t i = 0; i < n; ++i) {
    if (view(l[i].key) == key) {
      return view(l[i].value);
    }
  }
  return std::nullopt;
}
}  // namespace detail

class NodeView {
 public:
  explicit NodeView(const kmetrics_node_info& n) : n_(n) {}

  std::string_view name() const { return view(n_.name); }
  int32_t kubeletPort() const { return n_.kubelet_port; }
  bool ready() const { return n_.ready != 0; }
  const kmetrics_node_info& raw() const { return n_; }

  std::optional<std::string_view> label(std::string_view key) const {
    return detail::findLabel(n_.labels, n_.label_count, key);
  }
  std::optional<std::string_view> annotation(std::string_view key) const {
    return detail::findLabel(n_.annotations, n_.annotation_count, key);
  }
  // The first address of the given type ("InternalIP", "Hostname", ...), if any.
  std::optional<std::string_view> address(std::string_view type) const {
    for (size_t i = 0; i < n_.address_count; ++i) {
      if (view(n_.addresses[i].type) == type) {
        return view(n_.addresses[i].address);
      }
    }
    return std::nullopt;
  }

 private:
  const kmetrics_node_info& n_;
};

class PodView {
 public:
  explicit PodView(const kmetrics_pod_info& p) : p_(p) {}
  std::string_view ns() const { return view(p_.pod_namespace); }
  std::string_view name() const { return view(p_.name); }
  std::string_view node() const { return view(p_.node); }
  std::optional<std::string_view> label(std::string_view key) const {
    return detail::findLabel(p_.labels, p_.label_count, key);
  }
  const kmetrics_pod_info& raw() const { return p_; }

 private:
  const kmetrics_pod_info& p_;
};

}  // namespace kmetrics::sdk
