#include "result_builder.hpp"

#include "prometheus_text_parser.hpp"

namespace kmetrics::kubelet {

void ResultBuilder::reset() {
  pod_index_.clear();
  container_index_.clear();
  pods_.clear();
  containers_.clear();
  arena_used_ = 0;
}

uint32_t ResultBuilder::pod(std::string_view ns, std::string_view name, bool& inserted) {
  const uint32_t idx =
      pod_index_.find_or_insert(ns, name, {}, static_cast<uint32_t>(pods_.size()), inserted);
  if (inserted) {
    PodWork& p = pods_.emplace_back();
    p.ns = ns;
    p.name = name;
  }
  return idx;
}

uint32_t ResultBuilder::container(uint32_t pod_index, std::string_view name, bool& inserted) {
  PodWork& p = pods_[pod_index];
  // A map rather than a walk of the pod's list: a hostile pod with 10^5 containers stays linear.
  const auto idx = container_index_.find_or_insert(
      p.ns, p.name, name, static_cast<uint32_t>(containers_.size()), inserted);
  if (!inserted) return idx;
  ContainerWork& cw = containers_.emplace_back();
  cw.name = name;
  cw.pod = pod_index;
  if (p.last == kNoIndex) {
    p.first = idx;
  } else {
    containers_[p.last].next = idx;
  }
  p.last = idx;
  return idx;
}

std::string_view ResultBuilder::intern_unescaped(std::string_view raw_escaped) {
  if (arena_used_ == arena_.size()) arena_.emplace_back();
  std::string& s = arena_[arena_used_++];
  s.clear();
  unescape_label_value(raw_escaped, s);
  return s;
}

void ResultBuilder::emit(ScrapeResult& out) const {
  std::size_t k = 0;
  for (const PodWork& p : pods_) {
    if (p.dropped) continue;
    if (k == out.pods.size()) out.pods.emplace_back();
    PodResult& r = out.pods[k++];
    r.ns.assign(p.ns);
    r.name.assign(p.name);
    r.extended = p.extended;
    std::size_t n = 0;
    for (uint32_t c = p.first; c != kNoIndex; c = containers_[c].next) {
      if (n == r.containers.size()) r.containers.emplace_back();
      ContainerResult& cr = r.containers[n++];
      const ContainerWork& cw = containers_[c];
      cr.name.assign(cw.name);
      cr.point = cw.point;
      cr.extended = cw.extended;
    }
    r.containers.resize(n);
  }
  out.pods.resize(k);
}

}  // namespace kmetrics::kubelet
