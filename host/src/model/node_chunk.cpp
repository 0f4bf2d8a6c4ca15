#include "model/node_chunk.hpp"

#include <algorithm>
#include <numeric>

namespace kmetrics {
namespace {

// Samples and names a chunk can index with 32-bit offsets.
constexpr size_t kMaxNameBytes = UINT32_MAX;
constexpr size_t kMaxSamples = size_t{1} << 31;

// Indices 0..n-1 ordered by `less`, keeping equal elements in their original order. Returns the
// identity without sorting when the input is already strictly increasing (the usual case).
template <class Less>
std::vector<uint32_t> stable_order(size_t n, Less less) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  for (size_t i = 1; i < n; ++i) {
    if (!less(static_cast<uint32_t>(i - 1), static_cast<uint32_t>(i))) {
      std::stable_sort(order.begin(), order.end(), less);
      break;
    }
  }
  return order;
}

}  // namespace

UnixNanos NodeChunk::freshness(const ChunkPod& p) const {
  UnixNanos newest = 0;
  for (const ChunkContainer& c : containers(p)) newest = std::max(newest, c.point.timestamp);
  return newest;
}

bool NodeChunk::same_layout(const NodeChunk& other) const {
  if (pods_.size() != other.pods_.size() || containers_.size() != other.containers_.size()) return false;
  auto same_str = [](ChunkStr a, ChunkStr b) { return a.offset == b.offset && a.size == b.size; };
  auto same_shape = [](const ChunkPod& a, const ChunkPod& b) {
    return a.first_container == b.first_container && a.container_count == b.container_count;
  };
  // A source that sends the same names in the same order builds byte-equal arenas: then equal
  // offsets are equal strings and no string needs comparing.
  if (names_ == other.names_) {
    bool equal = true;
    for (size_t i = 0; equal && i < pods_.size(); ++i) {
      const ChunkPod& a = pods_[i];
      const ChunkPod& b = other.pods_[i];
      equal = same_shape(a, b) && same_str(a.ns, b.ns) && same_str(a.name, b.name);
    }
    for (size_t i = 0; equal && i < containers_.size(); ++i) equal = same_str(containers_[i].name, other.containers_[i].name);
    if (equal) return true;
  }
  for (size_t i = 0; i < pods_.size(); ++i) {
    const ChunkPod& a = pods_[i];
    const ChunkPod& b = other.pods_[i];
    if (!same_shape(a, b) || name(a) != other.name(b) || ns(a) != other.ns(b)) return false;
  }
  for (size_t i = 0; i < containers_.size(); ++i) {
    if (name(containers_[i]) != other.name(other.containers_[i])) return false;
  }
  return true;
}

NodeChunkBuilder::NodeChunkBuilder(std::string key) { draft_.key_ = std::move(key); }

bool NodeChunkBuilder::fits(size_t name_bytes) const {
  return draft_.names_.size() + name_bytes <= kMaxNameBytes && containers_.size() < kMaxSamples &&
         pods_.size() < kMaxSamples && draft_.nodes_.size() < kMaxSamples && draft_.extended_.size() < kMaxSamples;
}

ChunkStr NodeChunkBuilder::intern(std::string_view s) {
  const ChunkStr out{static_cast<uint32_t>(draft_.names_.size()), static_cast<uint32_t>(s.size())};
  draft_.names_.append(s);
  return out;
}

ChunkStr NodeChunkBuilder::intern_cached(std::string_view s, ChunkStr& cache) {
  if (view(cache) != s) cache = intern(s);
  return cache;
}

uint32_t NodeChunkBuilder::add_extended(const ExtendedPoint* e) {
  if (e == nullptr || e->present == 0) return kNoExtended;
  draft_.extended_.push_back(*e);
  return static_cast<uint32_t>(draft_.extended_.size() - 1);
}

uint32_t NodeChunkBuilder::pod_index(std::string_view ns, std::string_view name, std::string_view node) {
  // Sources emit a pod's samples together: compare with the last pod only. A pod seen again after
  // another one gets a second record, merged by finish().
  if (last_pod_ != UINT32_MAX) {
    RawPod& last = pods_[last_pod_];
    if (view(last.name) == name && view(last.ns) == ns) {
      last.node = intern_cached(node, last_node_);
      return last_pod_;
    }
  }
  RawPod p;
  p.ns = intern_cached(ns, last_ns_);
  p.name = intern(name);
  p.node = intern_cached(node, last_node_);
  pods_.push_back(p);
  last_pod_ = static_cast<uint32_t>(pods_.size() - 1);
  return last_pod_;
}

bool NodeChunkBuilder::node(std::string_view name, const MetricsPoint& point, const ExtendedPoint* extended) {
  if (!fits(name.size())) return false;
  const ChunkStr n = intern(name);
  draft_.nodes_.push_back({n, point, add_extended(extended)});
  return true;
}

bool NodeChunkBuilder::pod(std::string_view ns, std::string_view name, std::string_view node,
                           const ExtendedPoint* extended) {
  if (!fits(ns.size() + name.size() + node.size())) return false;
  RawPod& p = pods_[pod_index(ns, name, node)];
  p.extended = add_extended(extended);
  p.pod_emitted = true;
  return true;
}

bool NodeChunkBuilder::container(std::string_view ns, std::string_view pod, std::string_view name,
                                 std::string_view node, const MetricsPoint& point, const ExtendedPoint* extended) {
  if (!fits(ns.size() + pod.size() + name.size() + node.size())) return false;
  RawContainer c;
  c.pod = pod_index(ns, pod, node);
  c.name = intern(name);
  c.point = point;
  c.extended = add_extended(extended);
  containers_.push_back(c);
  return true;
}

void NodeChunkBuilder::build_nodes(NodeChunk& out) {
  const std::vector<ChunkNode>& nodes = draft_.nodes_;
  const auto order = stable_order(nodes.size(), [&](uint32_t a, uint32_t b) {
    return view(nodes[a].name) < view(nodes[b].name);
  });
  out.nodes_.reserve(nodes.size());
  for (uint32_t i : order) {
    // Equal names are adjacent, later emissions last: the later one replaces the earlier.
    if (!out.nodes_.empty() && view(out.nodes_.back().name) == view(nodes[i].name)) {
      out.nodes_.back() = nodes[i];
    } else {
      out.nodes_.push_back(nodes[i]);
    }
  }
}

void NodeChunkBuilder::build_pods(NodeChunk& out) {
  auto pod_less = [this](uint32_t a, uint32_t b) {
    return compare_pod_refs(view(pods_[a].ns), view(pods_[a].name), view(pods_[b].ns), view(pods_[b].name)) < 0;
  };
  const auto order = stable_order(pods_.size(), pod_less);
  // Records of one pod (it was emitted apart) become one pod: the node of the latest record, the
  // extended series of the latest pod-level sample.
  std::vector<uint32_t> final_of(pods_.size());
  out.pods_.reserve(pods_.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const RawPod& r = pods_[order[k]];
    if (k == 0 || pod_less(order[k - 1], order[k])) {
      out.pods_.push_back({r.ns, r.name, r.node, 0, 0, r.pod_emitted ? r.extended : kNoExtended});
    } else {
      ChunkPod& merged = out.pods_.back();
      merged.node = r.node;
      if (r.pod_emitted) merged.extended = r.extended;
    }
    final_of[order[k]] = static_cast<uint32_t>(out.pods_.size() - 1);
  }

  // Containers grouped by pod (stable counting sort), then by name within a pod, later emissions
  // replacing earlier ones.
  std::vector<uint32_t> starts(out.pods_.size() + 1, 0);
  for (const RawContainer& c : containers_) ++starts[final_of[c.pod] + 1];
  std::partial_sum(starts.begin(), starts.end(), starts.begin());
  std::vector<uint32_t> grouped(containers_.size());
  {
    std::vector<uint32_t> next(starts.begin(), starts.end() - 1);
    for (uint32_t i = 0; i < containers_.size(); ++i) grouped[next[final_of[containers_[i].pod]]++] = i;
  }
  auto name_less = [this](uint32_t a, uint32_t b) { return view(containers_[a].name) < view(containers_[b].name); };
  out.containers_.reserve(containers_.size());
  for (size_t p = 0; p < out.pods_.size(); ++p) {
    const auto begin = grouped.begin() + starts[p];
    const auto end = grouped.begin() + starts[p + 1];
    if (!std::is_sorted(begin, end, name_less)) std::stable_sort(begin, end, name_less);
    ChunkPod& pod = out.pods_[p];
    pod.first_container = static_cast<uint32_t>(out.containers_.size());
    for (auto it = begin; it != end; ++it) {
      const RawContainer& c = containers_[*it];
      const ChunkContainer cc{c.name, c.point, c.extended};
      if (out.containers_.size() > pod.first_container && view(out.containers_.back().name) == view(c.name)) {
        out.containers_.back() = cc;
      } else {
        out.containers_.push_back(cc);
      }
    }
    pod.container_count = static_cast<uint32_t>(out.containers_.size() - pod.first_container);
  }
}

std::shared_ptr<const NodeChunk> NodeChunkBuilder::finish() {
  auto chunk = std::make_shared<NodeChunk>();
  chunk->key_ = draft_.key_;
  build_nodes(*chunk);
  build_pods(*chunk);
  // Exact sizes: the builder's buffers keep their slack for reuse.
  chunk->names_.assign(draft_.names_);
  chunk->extended_.assign(draft_.extended_.begin(), draft_.extended_.end());
  chunk->nodes_.shrink_to_fit();
  chunk->pods_.shrink_to_fit();
  chunk->containers_.shrink_to_fit();
  reset(std::move(draft_.key_));
  return chunk;
}

size_t NodeChunkBuilder::capacity_bytes() const {
  return draft_.names_.capacity() + draft_.nodes_.capacity() * sizeof(ChunkNode) +
         draft_.extended_.capacity() * sizeof(ExtendedPoint) + pods_.capacity() * sizeof(RawPod) +
         containers_.capacity() * sizeof(RawContainer);
}

void NodeChunkBuilder::reset(std::string key) {
  draft_.key_ = std::move(key);
  draft_.names_.clear();
  draft_.nodes_.clear();
  draft_.extended_.clear();
  pods_.clear();
  containers_.clear();
  last_ns_ = last_node_ = ChunkStr{};
  last_pod_ = UINT32_MAX;
}

}  // namespace kmetrics
