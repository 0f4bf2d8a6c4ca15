// An owning copy of a kmetrics_node_info, so a node listed on the tick thread can be scraped on a
// worker thread after the cluster view moved on.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kmetrics/abi.h"

namespace kmetrics {

class OwnedNode {
 public:
  explicit OwnedNode(const kmetrics_node_info& n);

  const std::string& name() const { return name_; }
  // A view into this object; valid while it lives.
  const kmetrics_node_info& abi() const { return info_; }

  OwnedNode(const OwnedNode&) = delete;
  OwnedNode& operator=(const OwnedNode&) = delete;

 private:
  std::string name_;
  std::vector<std::pair<std::string, std::string>> labels_, annotations_, addresses_;
  std::vector<kmetrics_label> label_views_, annotation_views_;
  std::vector<kmetrics_node_address> address_views_;
  kmetrics_node_info info_{};
};

}  // namespace kmetrics
