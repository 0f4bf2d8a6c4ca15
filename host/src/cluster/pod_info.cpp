#include "cluster/pod_info.hpp"

#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>

namespace kmetrics::cluster {

PodPtr PodInfo::make(const PodFields& f) {
  constexpr size_t kMaxCount = std::numeric_limits<uint16_t>::max();
  if (f.labels.size() > kMaxCount || f.containers.size() > kMaxCount) {
    throw std::length_error("pod: more than 65535 labels or containers");
  }
  for (size_t i = 1; i < f.labels.size(); ++i) {
    if (!(f.labels[i - 1].first < f.labels[i].first)) throw std::invalid_argument("pod: labels not sorted by key");
  }
  size_t text = f.namespace_name.size() + f.name.size() + f.node_name.size();
  for (const auto& [k, v] : f.labels) text += k.size() + v.size();
  for (const auto& c : f.containers) text += c.name.size();
  if (text > std::numeric_limits<uint32_t>::max()) throw std::length_error("pod: strings too long");
  const auto labels = static_cast<uint16_t>(f.labels.size());
  const auto containers = static_cast<uint16_t>(f.containers.size());
  const size_t strings = kFixedStrings + 2u * labels + containers;
  const size_t bytes = sizeof(PodInfo) + kResources * containers * sizeof(int64_t) + strings * sizeof(uint32_t) + text;

  // operator new creates the int64/uint32/char arrays implicitly (implicit-lifetime types).
  auto* pod = new (::operator new(bytes)) PodInfo(labels, containers, f.creation_unix_ns);
  auto* resources = const_cast<int64_t*>(pod->resources());
  auto* ends = const_cast<uint32_t*>(pod->ends());
  auto* out = const_cast<char*>(pod->text());
  uint32_t pos = 0;
  size_t n = 0;
  auto put = [&](std::string_view s) {
    if (!s.empty()) std::memcpy(out + pos, s.data(), s.size());
    pos += static_cast<uint32_t>(s.size());
    ends[n++] = pos;
  };
  put(f.namespace_name);
  put(f.name);
  put(f.node_name);
  for (const auto& [k, v] : f.labels) {
    put(k);
    put(v);
  }
  for (const auto& c : f.containers) {
    put(c.name);
    *resources++ = c.cpu_request_millicores;
    *resources++ = c.cpu_limit_millicores;
    *resources++ = c.memory_request_bytes;
    *resources++ = c.memory_limit_bytes;
  }
  return PodPtr(pod);
}

void PodInfo::destroy(const PodInfo* pod) {
  pod->~PodInfo();
  ::operator delete(const_cast<PodInfo*>(pod));
}

ContainerInfo PodContainers::at(size_t i) const {
  if (i >= size()) throw std::out_of_range("pod container index out of range");
  return (*this)[i];
}

std::optional<std::string_view> find_label(const PodLabels& labels, std::string_view key) {
  size_t lo = 0, hi = labels.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (labels[mid].first < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < labels.size() && labels[lo].first == key) return labels[lo].second;
  return std::nullopt;
}

}  // namespace kmetrics::cluster
