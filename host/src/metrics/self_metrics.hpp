// The host's self-metrics registry (prometheus-cpp). The host registers its own families here and
// plugins register theirs through kmetrics_host_api.metric_register. Exposed on /metrics.
// THREADING: every method is thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace kmetrics {

enum class MetricKind { kCounter, kGauge, kHistogram };

// One registered family. Handles stay valid for the life of the registry (never freed earlier),
// so a plugin may keep the pointer it was given until it is destroyed.
class MetricFamily {
 public:
  MetricKind kind() const { return kind_; }
  const std::vector<std::string>& labelNames() const { return label_names_; }

  // counter: add; gauge: set; histogram: observe. Returns false on a label-count mismatch or a
  // negative counter increment.
  bool record(const std::vector<std::string_view>& label_values, double value);
  void remove(const std::vector<std::string_view>& label_values);

 private:
  friend class SelfMetrics;
  prometheus::Labels labels(const std::vector<std::string_view>& values) const;
  // Calls use(series) for these label values, creating the series on first use. prometheus-cpp's
  // Family::Add builds a label map and a fresh metric object on every call, even for an existing
  // series; a scrape records three series per node, so the handles are cached by their joined label
  // values. `use` runs under the cache lock, so remove() cannot free the series meanwhile.
  template <class Use>
  void with_series(const std::vector<std::string_view>& label_values, Use use);

  MetricKind kind_ = MetricKind::kCounter;
  std::string name_, help_;
  std::vector<std::string> label_names_;
  prometheus::Histogram::BucketBoundaries buckets_;
  prometheus::Family<prometheus::Counter>* counter_ = nullptr;
  prometheus::Family<prometheus::Gauge>* gauge_ = nullptr;
  prometheus::Family<prometheus::Histogram>* histogram_ = nullptr;
  std::shared_mutex series_mu_;
  std::unordered_map<std::string, void*> series_;  // joined label values -> Counter/Gauge/Histogram
};

class SelfMetrics {
 public:
  SelfMetrics();

  // Registers a family, or returns the existing one when name, kind and labels match (two
  // instances of one plugin type share families). Returns nullptr and sets `error` otherwise.
  MetricFamily* registerFamily(MetricKind kind, const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names,
                               const std::vector<double>& buckets, std::string* error);

  // Prometheus text exposition format 0.0.4 of every family.
  std::string exposition() const;

  prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<MetricFamily>> families_;
};

// Prometheus' default histogram buckets (the Go client's DefBuckets).
std::vector<double> defaultBuckets();

bool validMetricName(std::string_view name);
bool validLabelName(std::string_view name);

}  // namespace kmetrics
