// Diagnostics: collecting (path, message) errors across the ABI.
#pragma once

#include <string>
#include <vector>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

struct Diagnostic {
  std::string path;
  std::string message;
};

// Collects every reported error. `diag()` is valid while this object lives.
class DiagnosticCollector {
 public:
  DiagnosticCollector() : diag_{sizeof(kmetrics_diag), this, &DiagnosticCollector::onReport} {}
  DiagnosticCollector(const DiagnosticCollector&) = delete;
  DiagnosticCollector& operator=(const DiagnosticCollector&) = delete;

  const kmetrics_diag* diag() const { return &diag_; }
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  static void onReport(void* user, kmetrics_str path, kmetrics_str message) {
    static_cast<DiagnosticCollector*>(user)->items_.push_back({copy(path), copy(message)});
  }

  kmetrics_diag diag_;
  std::vector<Diagnostic> items_;
};

// Sends errors to a diag received from the other side; tolerates a null diag.
inline void report(const kmetrics_diag* diag, std::string_view path, std::string_view message) {
  if (diag != nullptr && diag->report != nullptr) {
    diag->report(diag->user, toStr(path), toStr(message));
  }
}

}  // namespace kmetrics::sdk
