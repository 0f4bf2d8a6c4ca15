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

bool MetricFamily::record(const std::vector<std::string_view>& label_values, double value) {
  if (label_values.size() != label_names_.size()) {
    return false;
  }
  const auto l = labels(label_values);
  switch (kind_) {
    case MetricKind::kCounter:
      if (value < 0) {
        return false;
      }
      counter_->Add(l).Increment(value);
      return true;
    case MetricKind::kGauge:
      gauge_->Add(l).Set(value);
      return true;
    case MetricKind::kHistogram:
      histogram_->Add(l, buckets_).Observe(value);
      return true;
  }
  return false;
}

void MetricFamily::remove(const std::vector<std::string_view>& label_values) {
  if (label_values.size() != label_names_.size()) {
    return;
  }
  const auto l = labels(label_values);
  std::lock_guard lock(mu_);
  // Family::Remove takes the metric object; Add returns the existing one for these labels.
  switch (kind_) {
    case MetricKind::kCounter:
      if (counter_->Has(l)) counter_->Remove(&counter_->Add(l));
      break;
    case MetricKind::kGauge:
      if (gauge_->Has(l)) gauge_->Remove(&gauge_->Add(l));
      break;
    case MetricKind::kHistogram:
      if (histogram_->Has(l)) histogram_->Remove(&histogram_->Add(l, buckets_));
      break;
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
