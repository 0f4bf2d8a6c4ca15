// A running pod as the cluster view keeps it. A large cluster has ~30 pods per node, so a pod is one
// heap block: a 16-byte header, the containers' requests/limits, one 32-bit end offset per string and
// the strings' bytes (namespace, name, node, label keys and values, container names). Accessors hand
// out string_views into the block. Immutable once made; shared between snapshots through PodPtr, an
// intrusive reference count (8 bytes per reference, no separate control block).
//
// Thread-safety: a PodInfo is immutable; PodPtr copies may be made and dropped on any thread (the
// count is atomic), like shared_ptr.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace kmetrics::cluster {

using LabelView = std::pair<std::string_view, std::string_view>;  // (key, value)

// Requests and limits of one container; 0 means "not set". From a pod, `name` points into the pod.
struct ContainerInfo {
  std::string_view name;
  int64_t cpu_request_millicores = 0;
  int64_t cpu_limit_millicores = 0;
  int64_t memory_request_bytes = 0;
  int64_t memory_limit_bytes = 0;
};

// What a PodInfo is made from; the views need to live only until PodInfo::make returns.
struct PodFields {
  std::string_view namespace_name;
  std::string_view name;
  std::string_view node_name;
  std::vector<LabelView> labels;  // sorted by key, keys unique
  int64_t creation_unix_ns = 0;
  std::vector<ContainerInfo> containers;  // spec.containers, in spec order
};

class PodPtr;
class PodLabels;
class PodContainers;

class PodInfo {
 public:
  // Copies `fields` into one block. Throws std::invalid_argument when the labels are not sorted
  // with unique keys, std::length_error past 65,535 labels or containers.
  static PodPtr make(const PodFields& fields);

  std::string_view namespace_name() const { return str(0); }
  std::string_view name() const { return str(1); }
  std::string_view node_name() const { return str(2); }
  int64_t creation_unix_ns() const { return creation_unix_ns_; }
  PodLabels labels() const;          // sorted by key
  PodContainers containers() const;  // spec.containers, in spec order

  PodInfo(const PodInfo&) = delete;
  PodInfo& operator=(const PodInfo&) = delete;

 private:
  friend class PodPtr;
  friend class PodLabels;
  friend class PodContainers;
  static constexpr size_t kFixedStrings = 3;  // namespace, name, node
  static constexpr size_t kResources = 4;     // int64 per container

  PodInfo(uint16_t labels, uint16_t containers, int64_t creation)
      : label_count_(labels), container_count_(containers), creation_unix_ns_(creation) {}
  static void destroy(const PodInfo* pod);

  // Block layout after the header: int64 resources[4 * containers], uint32 ends[strings], chars.
  const int64_t* resources() const { return reinterpret_cast<const int64_t*>(this + 1); }
  const uint32_t* ends() const {
    return reinterpret_cast<const uint32_t*>(resources() + kResources * container_count_);
  }
  const char* text() const { return reinterpret_cast<const char*>(ends() + string_count()); }
  size_t string_count() const { return kFixedStrings + 2u * label_count_ + container_count_; }
  std::string_view str(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends()[i - 1];
    return {text() + begin, ends()[i] - begin};
  }

  mutable std::atomic<uint32_t> refs_{1};
  uint16_t label_count_;
  uint16_t container_count_;
  int64_t creation_unix_ns_;
};
static_assert(sizeof(PodInfo) == 16, "the header is part of every pod's footprint");

// Shared ownership of an immutable PodInfo, like shared_ptr<const PodInfo>.
class PodPtr {
 public:
  PodPtr() = default;
  PodPtr(std::nullptr_t) {}  // NOLINT: implicit, as shared_ptr
  PodPtr(const PodPtr& other) : pod_(other.pod_) {
    if (pod_ != nullptr) pod_->refs_.fetch_add(1, std::memory_order_relaxed);
  }
  PodPtr(PodPtr&& other) noexcept : pod_(std::exchange(other.pod_, nullptr)) {}
  PodPtr& operator=(PodPtr other) noexcept {
    std::swap(pod_, other.pod_);
    return *this;
  }
  ~PodPtr() {
    if (pod_ != nullptr && pod_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) PodInfo::destroy(pod_);
  }

  const PodInfo* get() const { return pod_; }
  const PodInfo* operator->() const { return pod_; }
  const PodInfo& operator*() const { return *pod_; }
  explicit operator bool() const { return pod_ != nullptr; }
  friend bool operator==(const PodPtr& a, const PodPtr& b) { return a.pod_ == b.pod_; }
  friend bool operator==(const PodPtr& a, std::nullptr_t) { return a.pod_ == nullptr; }

 private:
  friend class PodInfo;
  explicit PodPtr(const PodInfo* adopt) : pod_(adopt) {}  // takes over the count of a new pod
  const PodInfo* pod_ = nullptr;
};

// Iterator over an index-addressed view (PodLabels, PodContainers): yields values, not references.
template <class View, class Value>
class IndexIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;
  IndexIterator(const View* view, size_t i) : view_(view), i_(i) {}
  Value operator*() const { return (*view_)[i_]; }
  IndexIterator& operator++() {
    ++i_;
    return *this;
  }
  IndexIterator operator++(int) { return IndexIterator(view_, i_++); }
  friend bool operator==(const IndexIterator& a, const IndexIterator& b) { return a.i_ == b.i_; }

 private:
  const View* view_;
  size_t i_;
};

// A pod's labels: (key, value) views, sorted by key. Valid while the pod is.
class PodLabels {
 public:
  using iterator = IndexIterator<PodLabels, LabelView>;
  explicit PodLabels(const PodInfo& pod) : pod_(&pod) {}
  size_t size() const { return pod_->label_count_; }
  bool empty() const { return size() == 0; }
  LabelView operator[](size_t i) const {
    const size_t s = PodInfo::kFixedStrings + 2 * i;
    return {pod_->str(s), pod_->str(s + 1)};
  }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

 private:
  const PodInfo* pod_;
};

// A pod's containers, in spec order. Valid while the pod is.
class PodContainers {
 public:
  using iterator = IndexIterator<PodContainers, ContainerInfo>;
  explicit PodContainers(const PodInfo& pod) : pod_(&pod) {}
  size_t size() const { return pod_->container_count_; }
  bool empty() const { return size() == 0; }
  ContainerInfo operator[](size_t i) const {
    const int64_t* r = pod_->resources() + PodInfo::kResources * i;
    return {pod_->str(PodInfo::kFixedStrings + 2u * pod_->label_count_ + i), r[0], r[1], r[2], r[3]};
  }
  ContainerInfo at(size_t i) const;  // std::out_of_range past the end
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

 private:
  const PodInfo* pod_;
};

inline PodLabels PodInfo::labels() const { return PodLabels(*this); }
inline PodContainers PodInfo::containers() const { return PodContainers(*this); }

// The value of label `key`; nullopt when absent (binary search: labels are sorted).
std::optional<std::string_view> find_label(const PodLabels& labels, std::string_view key);

}  // namespace kmetrics::cluster
