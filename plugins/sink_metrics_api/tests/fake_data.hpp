// FakeData: a DataSource over plain containers for the handler's tests, counting its calls.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "data_source.hpp"

namespace kmetrics::metrics_api::fake {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kNow = 1714557620 * kSecond;  // 2024-05-01T10:00:20Z

struct FakeObject {
  std::string ns, name;
  std::map<std::string, std::string> labels;
};

class FakeView : public ObjectView {
 public:
  explicit FakeView(const FakeObject& o) : o_(o) {}
  std::string_view name() const override { return o_.name; }
  std::string_view ns() const override { return o_.ns; }
  std::optional<std::string_view> label(std::string_view k) const override {
    auto it = o_.labels.find(std::string(k));
    if (it == o_.labels.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  void labels(Labels& out) const override { out.assign(o_.labels.begin(), o_.labels.end()); }

 private:
  const FakeObject& o_;
};

// Objects and metrics in plain containers; counts the calls of each kind of access.
class FakeData : public DataSource {
 public:
  std::vector<FakeObject> nodes, pods;
  std::map<std::string, NodeItem> node_metrics;
  std::map<std::string, PodItem> pod_metrics;  // key ns/name
  std::map<std::string, int> calls;            // by method name
  std::vector<std::string> label_queries;      // "ns:key=value" of every forEachPodWithLabel

  bool indexed = true;    // lookupsAreIndexed()
  bool reversed = false;  // forEach*Metrics break their promise: reverse order

  void forEachNode(const std::function<bool(const ObjectView&)>& fn) override {
    ++calls["forEachNode"];
    for (const auto& n : nodes) {
      if (!fn(FakeView(n))) return;
    }
  }
  void forEachPod(std::string_view ns, const std::function<bool(const ObjectView&)>& fn) override {
    ++calls["forEachPod"];
    for (const auto& p : pods) {
      if (!ns.empty() && p.ns != ns) continue;
      if (!fn(FakeView(p))) return;
    }
  }
  bool lookupsAreIndexed() const override { return indexed; }
  bool findNode(std::string_view name, const std::function<void(const ObjectView&)>& fn) override {
    ++calls["findNode"];
    for (const auto& n : nodes) {
      if (n.name == name) {
        fn(FakeView(n));
        return true;
      }
    }
    return false;
  }
  bool findPod(std::string_view ns, std::string_view name, const std::function<void(const ObjectView&)>& fn) override {
    ++calls["findPod"];
    for (const auto& p : pods) {
      if (p.ns == ns && p.name == name) {
        fn(FakeView(p));
        return true;
      }
    }
    return false;
  }
  void forEachPodWithLabel(std::string_view ns, std::string_view key, std::string_view value,
                           const std::function<bool(const ObjectView&)>& fn) override {
    ++calls["forEachPodWithLabel"];
    label_queries.push_back(std::string(ns) + ":" + std::string(key) + "=" + std::string(value));
    for (const auto& p : pods) {  // in the order added: unsorted, as an index gives them
      auto it = p.labels.find(std::string(key));
      if ((!ns.empty() && p.ns != ns) || it == p.labels.end() || it->second != value) continue;
      if (!fn(FakeView(p))) return;
    }
  }
  std::optional<NodeItem> nodeMetrics(std::string_view name) override {
    auto it = node_metrics.find(std::string(name));
    if (it == node_metrics.end()) return std::nullopt;
    return it->second;
  }
  std::optional<PodItem> podMetrics(std::string_view ns, std::string_view name) override {
    auto it = pod_metrics.find(std::string(ns) + "/" + std::string(name));
    if (it == pod_metrics.end()) return std::nullopt;
    return it->second;
  }
  void forEachNodeMetrics(const std::function<bool(NodeItem&)>& fn) override {
    ++calls["forEachNodeMetrics"];
    std::vector<NodeItem> sorted;
    for (const auto& [name, m] : node_metrics) {  // std::map: in order of name
      sorted.push_back(m);
      sorted.back().name = name;
    }
    if (reversed) std::reverse(sorted.begin(), sorted.end());
    for (auto& item : sorted) {
      if (!fn(item)) return;
    }
  }
  void forEachPodMetrics(std::string_view ns, const std::function<bool(PodItem&)>& fn) override {
    ++calls["forEachPodMetrics"];
    std::vector<PodItem> sorted;
    for (const auto& [key, m] : pod_metrics) {
      PodItem item = m;
      item.ns = key.substr(0, key.find('/'));
      item.name = key.substr(key.find('/') + 1);
      if (ns.empty() || item.ns == ns) sorted.push_back(std::move(item));
    }
    std::sort(sorted.begin(), sorted.end(), [](const PodItem& a, const PodItem& b) {
      return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
    });
    if (reversed) std::reverse(sorted.begin(), sorted.end());
    for (auto& item : sorted) {
      if (!fn(item)) return;
    }
  }
  int64_t nowUnixNs() override { return kNow; }
};

}  // namespace kmetrics::metrics_api::fake
