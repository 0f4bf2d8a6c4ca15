#include "host_data_source.hpp"

#include <algorithm>

namespace kmetrics::metrics_api {
namespace {

class LabelledView : public ObjectView {
 public:
  LabelledView(kmetrics_str name, kmetrics_str ns, const kmetrics_label* labels, size_t count)
      : name_(sdk::view(name)), ns_(sdk::view(ns)), labels_(labels), count_(count) {}

  std::string_view name() const override { return name_; }
  std::string_view ns() const override { return ns_; }
  std::optional<std::string_view> label(std::string_view key) const override {
    for (size_t i = 0; i < count_; ++i) {
      if (sdk::view(labels_[i].key) == key) return sdk::view(labels_[i].value);
    }
    return std::nullopt;
  }
  Labels labels() const override {
    Labels out;
    out.reserve(count_);
    for (size_t i = 0; i < count_; ++i) {
      out.emplace_back(sdk::copy(labels_[i].key), sdk::copy(labels_[i].value));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::string_view name_, ns_;
  const kmetrics_label* labels_;
  size_t count_;
};

}  // namespace

void HostDataSource::forEachNode(const std::function<bool(const ObjectView&)>& fn) {
  host_.forEachNode([&](const sdk::NodeView& n) {
    const auto& raw = n.raw();
    return fn(LabelledView(raw.name, kmetrics_str{nullptr, 0}, raw.labels, raw.label_count));
  });
}

void HostDataSource::forEachPod(std::string_view ns, const std::function<bool(const ObjectView&)>& fn) {
  host_.forEachPod(ns, [&](const sdk::PodView& p) {
    const auto& raw = p.raw();
    return fn(LabelledView(raw.name, raw.pod_namespace, raw.labels, raw.label_count));
  });
}

std::optional<NodeItem> HostDataSource::nodeMetrics(std::string_view name) {
  auto u = snapshot_.node(name);
  if (!u) {
    return std::nullopt;
  }
  NodeItem item;
  item.timestamp_ns = u->timestamp_unix_ns;
  item.window_ns = u->window_ns;
  item.usage = {u->cpu_nanocores, u->memory_bytes};
  return item;
}

std::optional<PodItem> HostDataSource::podMetrics(std::string_view ns, std::string_view name) {
  std::optional<PodItem> item;
  snapshot_.pod(ns, name, [&](const kmetrics_pod_usage& p) {
    PodItem it;
    it.timestamp_ns = p.timestamp_unix_ns;
    it.window_ns = p.window_ns;
    it.containers.reserve(p.container_count);
    for (size_t i = 0; i < p.container_count; ++i) {
      it.containers.push_back({sdk::copy(p.containers[i].name),
                               {p.containers[i].cpu_nanocores, p.containers[i].memory_bytes}});
    }
    item = std::move(it);
  });
  return item;
}

}  // namespace kmetrics::metrics_api
