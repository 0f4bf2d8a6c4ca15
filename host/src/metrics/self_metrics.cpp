#include "metrics/self_metrics.hpp"

#include <prometheus/text_serializer.h>

namespace kmetrics {

std::vector<double> defaultBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

bool validMetricName(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) {
      return false;
    }
  }
  return true;
}

bool validLabelName(std::string_view name) {
  return validMetricName(name) && name.find(':') == std::string_view::npos &&
         name.substr(0, 2) != "__";
}

prometheus::Labels MetricFamily::labels(const std::vector<std::string_view>& values) const {
  prometheus::Labels l;
  for (size_t i = 0; i < label_names_.size(); ++i) {
    l.emplace(label_names_[i], std::string(values[i]));
  }
  return l;
}

namespace {

// Label values joined with a byte that cannot occur in UTF-8 text.
void join_values(const std::vector<std::string_view>& values, std::string& out) {
  out.clear();
  for (std::string_view v : values) out.append(v).push_back('\xff');
}

}  // namespace

template <class Use>
void MetricFamily::with_series(const std::vector<std::string_view>& label_values, Use use) {
  thread_local std::string key;
  join_values(label_values, key);
  {
    std::shared_lock lock(series_mu_);
    if (auto it = series_.find(key); it != series_.end()) {
      use(it->second);  // under the lock: remove() cannot free the series meanwhile
      return;
    }
  }
  std::unique_lock lock(series_mu_);
  void*& slot = series_[key];
  if (slot == nullptr) {
    const auto l = labels(label_values);
    switch (kind_) {
      case MetricKind::kCounter: slot = &counter_->Add(l); break;
      case MetricKind::kGauge: slot = &gauge_->Add(l); break;
      case MetricKind::kHistogram: slot = &histogram_->Add(l, buckets_); break;
    }
  }
  use(slot);
}

bool MetricFamily::record(const std::vector<std::string_view>& label_values, double value) {
  if (label_values.size() != label_names_.size()) {
    return false;
  }
  if (kind_ == MetricKind::kCounter && value < 0) {
    return false;
  }
  with_series(label_values, [&](void* metric) {
    switch (kind_) {
      case MetricKind::kCounter: static_cast<prometheus::Counter*>(metric)->Increment(value); break;
      case MetricKind::kGauge: static_cast<prometheus::Gauge*>(metric)->Set(value); break;
      case MetricKind::kHistogram: static_cast<prometheus::Histogram*>(metric)->Observe(value); break;
    }
  });
  return true;
}

void MetricFamily::remove(const std::vector<std::string_view>& label_values) {
  if (label_values.size() != label_names_.size()) {
    return;
  }
  std::string key;
  join_values(label_values, key);
  std::unique_lock lock(series_mu_);
  void* metric = nullptr;
  if (auto it = series_.find(key); it != series_.end()) {
    metric = it->second;
    series_.erase(it);
  }
  if (metric == nullptr) return;
  switch (kind_) {
    case MetricKind::kCounter: counter_->Remove(static_cast<prometheus::Counter*>(metric)); break;
    case MetricKind::kGauge: gauge_->Remove(static_cast<prometheus::Gauge*>(metric)); break;
    case MetricKind::kHistogram: histogram_->Remove(static_cast<prometheus::Histogram*>(metric)); break;
  }
}

SelfMetrics::SelfMetrics() : registry_(std::make_shared<prometheus::Registry>()) {}

MetricFamily* SelfMetrics::registerFamily(MetricKind kind, const std::string& name,
                                          const std::string& help,
                                          const std::vector<std::string>& label_names,
                                          const std::vector<double>& buckets, std::string* error) {
  if (!validMetricName(name)) {
    *error = "invalid metric name \"" + name + "\"";
    return nullptr;
  }
  for (const auto& l : label_names) {
    if (!validLabelName(l)) {
      *error = "metric " + name + ": invalid label name \"" + l + "\"";
      return nullptr;
    }
  }
  std::lock_guard lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    MetricFamily& f = *it->second;
    if (f.kind_ != kind || f.label_names_ != label_names) {
      *error = "metric " + name + " is already registered with another type or other labels";
      return nullptr;
    }
    return &f;
  }
  auto f = std::make_unique<MetricFamily>();
  f->kind_ = kind;
  f->name_ = name;
  f->help_ = help;
  f->label_names_ = label_names;
  switch (kind) {
    case MetricKind::kCounter:
      f->counter_ = &prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
      break;
    case MetricKind::kGauge:
      f->gauge_ = &prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
      break;
    case MetricKind::kHistogram:
      f->buckets_ = buckets.empty() ? defaultBuckets() : buckets;
      f->histogram_ = &prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
      break;
  }
  MetricFamily* raw = f.get();
  families_.emplace(name, std::move(f));
  return raw;
}

std::string SelfMetrics::exposition() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

}  // namespace kmetrics
