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
    return sdk::detail::findLabel(labels_, count_, key);
  }
  void labels(Labels& out) const override {
    out.resize(count_);
    for (size_t i = 0; i < count_; ++i) {
      out[i].first.assign(labels_[i].key.ptr, labels_[i].key.len);
      out[i].second.assign(labels_[i].value.ptr, labels_[i].value.len);
    }
    if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  }

 private:
  std::string_view name_, ns_;
  const kmetrics_label* labels_;
  size_t count_;
};

LabelledView nodeView(const sdk::NodeView& n) {
  const auto& raw = n.raw();
  return LabelledView(raw.name, kmetrics_str{nullptr, 0}, raw.labels, raw.label_count);
}

LabelledView podView(const sdk::PodView& p) {
  const auto& raw = p.raw();
  return LabelledView(raw.name, raw.pod_namespace, raw.labels, raw.label_count);
}

// Copies a snapshot pod into `item` (all but labels), reusing its strings and containers.
void fillPod(const kmetrics_pod_usage& p, PodItem& item) {
  item.ns.assign(p.pod_namespace.ptr, p.pod_namespace.len);
  item.name.assign(p.name.ptr, p.name.len);
  item.timestamp_ns = p.timestamp_unix_ns;
  item.window_ns = p.window_ns;
  item.containers.resize(p.container_count);
  for (size_t i = 0; i < p.container_count; ++i) {
    item.containers[i].name.assign(p.containers[i].name.ptr, p.containers[i].name.len);
    item.containers[i].usage = {p.containers[i].cpu_nanocores, p.containers[i].memory_bytes};
  }
}

void fillNode(const kmetrics_usage& u, NodeItem& item) {
  item.timestamp_ns = u.timestamp_unix_ns;
  item.window_ns = u.window_ns;
  item.usage = {u.cpu_nanocores, u.memory_bytes};
}

}  // namespace

void HostDataSource::forEachNode(const std::function<bool(const ObjectView&)>& fn) {
  host_.forEachNode([&fn](const sdk::NodeView& n) { return fn(nodeView(n)); });
}

void HostDataSource::forEachPod(std::string_view ns, const std::function<bool(const ObjectView&)>& fn) {
  host_.forEachPod(ns, [&fn](const sdk::PodView& p) { return fn(podView(p)); });
}

bool HostDataSource::findNode(std::string_view name, const std::function<void(const ObjectView&)>& fn) {
  return host_.findNode(name, [&fn](const sdk::NodeView& n) { fn(nodeView(n)); });
}

bool HostDataSource::findPod(std::string_view ns, std::string_view name,
                             const std::function<void(const ObjectView&)>& fn) {
  return host_.findPod(ns, name, [&fn](const sdk::PodView& p) { fn(podView(p)); });
}

void HostDataSource::forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                                         const std::function<bool(const ObjectView&)>& fn) {
  host_.forEachPodWithLabel(ns, key, value, [&fn](const sdk::PodView& p) { return fn(podView(p)); });
}

std::optional<NodeItem> HostDataSource::nodeMetrics(std::string_view name) {
  auto u = snapshot_.node(name);
  if (!u) {
    return std::nullopt;
  }
  NodeItem item;
  fillNode(*u, item);
  return item;
}

std::optional<PodItem> HostDataSource::podMetrics(std::string_view ns, std::string_view name) {
  std::optional<PodItem> item;
  snapshot_.pod(ns, name, [&item](const kmetrics_pod_usage& p) { fillPod(p, item.emplace()); });
  return item;
}

void HostDataSource::forEachNodeMetrics(const std::function<bool(NodeItem&)>& fn) {
  NodeItem item;
  snapshot_.forEachNode([&](std::string_view name, const kmetrics_usage& u) {
    item.name.assign(name);
    fillNode(u, item);
    return fn(item);
  });
}

void HostDataSource::forEachPodMetrics(std::string_view ns, const std::function<bool(PodItem&)>& fn) {
  PodItem item;
  snapshot_.forEachPod(ns, [&](const kmetrics_pod_usage& p) {
    fillPod(p, item);
    return fn(item);
  });
}

}  // namespace kmetrics::metrics_api
