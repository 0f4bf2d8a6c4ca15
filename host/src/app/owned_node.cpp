#include "app/owned_node.hpp"

#include <string_view>

namespace kmetrics {
namespace {

std::string copy(kmetrics_str s) { return s.ptr == nullptr ? std::string() : std::string(s.ptr, s.len); }
kmetrics_str str(const std::string& s) { return {s.data(), s.size()}; }

}  // namespace

OwnedNode::OwnedNode(const kmetrics_node_info& n) : name_(copy(n.name)) {
  for (size_t i = 0; i < n.label_count; ++i) labels_.emplace_back(copy(n.labels[i].key), copy(n.labels[i].value));
  for (size_t i = 0; i < n.annotation_count; ++i) {
    annotations_.emplace_back(copy(n.annotations[i].key), copy(n.annotations[i].value));
  }
  for (size_t i = 0; i < n.address_count; ++i) {
    addresses_.emplace_back(copy(n.addresses[i].type), copy(n.addresses[i].address));
  }
  for (const auto& [k, v] : labels_) label_views_.push_back({str(k), str(v)});
  for (const auto& [k, v] : annotations_) annotation_views_.push_back({str(k), str(v)});
  for (const auto& [t, a] : addresses_) address_views_.push_back({str(t), str(a)});
  info_.struct_size = sizeof(kmetrics_node_info);
  info_.name = str(name_);
  info_.labels = label_views_.data();
  info_.label_count = label_views_.size();
  info_.annotations = annotation_views_.data();
  info_.annotation_count = annotation_views_.size();
  info_.addresses = address_views_.data();
  info_.address_count = address_views_.size();
  info_.kubelet_port = n.kubelet_port;
  info_.ready = n.ready;
}

}  // namespace kmetrics
