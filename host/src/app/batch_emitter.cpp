#include "app/batch_emitter.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace kmetrics {
namespace {

std::string_view view(kmetrics_str s) { return s.ptr == nullptr ? std::string_view{} : std::string_view(s.ptr, s.len); }

BatchEmitter& self(void* p) { return *static_cast<BatchEmitter*>(p); }

// Builders that emitters of this thread left behind, unless a huge scrape (a cluster-scoped source)
// grew one beyond what a node needs. A list, not one: a fiber thread has many emitters alive at once.
thread_local std::vector<std::unique_ptr<NodeChunkBuilder>> t_spare_builders;
constexpr size_t kSpareBuilderMaxBytes = 256 * 1024;
constexpr size_t kSpareBuildersPerThread = 64;

std::unique_ptr<NodeChunkBuilder> take_spare_builder() {
  if (t_spare_builders.empty()) return std::make_unique<NodeChunkBuilder>();
  auto b = std::move(t_spare_builders.back());
  t_spare_builders.pop_back();
  return b;
}

// A sample struct must at least cover the fields of the v1.0 layout.
template <class T>
bool covers(const T* s) {
  return s != nullptr && s->struct_size >= sizeof(T);
}

}  // namespace

ExtendedPoint toExtended(const kmetrics_extended* e) {
  ExtendedPoint x;
  if (e == nullptr || e->struct_size < offsetof(kmetrics_extended, uptime_seconds) + sizeof(uint64_t)) {
    return x;
  }
  x.present = e->present;
  x.network_rx_bytes = e->network_rx_bytes;
  x.network_rx_errors = e->network_rx_errors;
  x.network_tx_bytes = e->network_tx_bytes;
  x.network_tx_errors = e->network_tx_errors;
  x.filesystem_usage = e->filesystem_usage;
  x.filesystem_limit = e->filesystem_limit;
  x.filesystem_available = e->filesystem_available;
  x.memory_rss = e->memory_rss;
  x.memory_usage = e->memory_usage;
  x.page_faults = e->page_faults;
  x.major_page_faults = e->major_page_faults;
  x.uptime_seconds = e->uptime_seconds;
  return x;
}

MetricsPoint toPoint(const kmetrics_point& p) {
  return MetricsPoint{p.timestamp_unix_ns, p.start_time_unix_ns, p.cpu_cumulative_ns, p.memory_working_set};
}

BatchEmitter::BatchEmitter(std::string key)
    : builder_(take_spare_builder()) {
  builder_->reset(std::move(key));
  abi_.struct_size = sizeof(kmetrics_emitter);
  abi_.host_ctx = this;
  abi_.emit_node = &BatchEmitter::emitNode;
  abi_.emit_pod = &BatchEmitter::emitPod;
  abi_.emit_container = &BatchEmitter::emitContainer;
  abi_.count_drop = &BatchEmitter::countDrop;
}

BatchEmitter::~BatchEmitter() {
  if (builder_ && t_spare_builders.size() < kSpareBuildersPerThread &&
      builder_->capacity_bytes() <= kSpareBuilderMaxBytes) {
    t_spare_builders.push_back(std::move(builder_));
  }
}

void BatchEmitter::emitNode(void* p, const kmetrics_node_sample* s) {
  BatchEmitter& b = self(p);
  if (!covers(s) || view(s->node).empty()) {
    ++b.rejected_;
    return;
  }
  const ExtendedPoint extended = toExtended(s->extended);
  if (!b.builder_->node(view(s->node), toPoint(s->point), &extended)) ++b.rejected_;
}

void BatchEmitter::emitPod(void* p, const kmetrics_pod_sample* s) {
  BatchEmitter& b = self(p);
  if (!covers(s) || view(s->pod_namespace).empty() || view(s->pod).empty()) {
    ++b.rejected_;
    return;
  }
  const ExtendedPoint extended = toExtended(s->extended);
  if (!b.builder_->pod(view(s->pod_namespace), view(s->pod), view(s->node), &extended)) ++b.rejected_;
}

void BatchEmitter::emitContainer(void* p, const kmetrics_container_sample* s) {
  BatchEmitter& b = self(p);
  if (!covers(s) || view(s->pod_namespace).empty() || view(s->pod).empty() ||
      view(s->container).empty()) {
    ++b.rejected_;
    return;
  }
  const ExtendedPoint extended = toExtended(s->extended);
  if (!b.builder_->container(view(s->pod_namespace), view(s->pod), view(s->container), view(s->node),
                            toPoint(s->point), &extended)) {
    ++b.rejected_;
  }
}

void BatchEmitter::countDrop(void* p, kmetrics_str reason, uint64_t count) {
  self(p).drops_[std::string(view(reason))] += count;
}

}  // namespace kmetrics
