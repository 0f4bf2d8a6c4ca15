#include "loader/diag_collector.hpp"

#include <string>

namespace kmetrics {
namespace {

// Messages beyond this are truncated: a plugin cannot make the host hold unbounded text.
constexpr size_t kMaxReportBytes = 64 * 1024;

std::string copyBounded(kmetrics_str s) {
  if (s.ptr == nullptr) {
    return {};
  }
  if (s.len > kMaxReportBytes) {
    return std::string(s.ptr, kMaxReportBytes) + "...(truncated)";
  }
  return std::string(s.ptr, s.len);
}

}  // namespace

DiagCollector::DiagCollector() : diag_{sizeof(kmetrics_diag), this, &DiagCollector::onReport} {}

void DiagCollector::onReport(void* user, kmetrics_str path, kmetrics_str message) noexcept {
  try {
    auto* self = static_cast<DiagCollector*>(user);
    Diagnostic d{copyBounded(path), copyBounded(message)};
    std::lock_guard lock(self->mu_);
    self->items_.push_back(std::move(d));
  } catch (...) {
    // Out of memory: drop the report rather than unwind into the plugin.
  }
}

std::vector<Diagnostic> DiagCollector::take() {
  std::lock_guard lock(mu_);
  return std::move(items_);
}

}  // namespace kmetrics
