// DiagCollector: the host side of a kmetrics_diag. Copies every (path, message) a plugin reports.
// The callback is noexcept towards the plugin: an allocation failure drops the report instead of
// unwinding through plugin frames.
#pragma once

#include <mutex>
#include <vector>

#include "kmetrics/abi.h"
#include "loader/call_result.hpp"

namespace kmetrics {

class DiagCollector {
 public:
  DiagCollector();
  DiagCollector(const DiagCollector&) = delete;
  DiagCollector& operator=(const DiagCollector&) = delete;

  // Valid while this object lives; pass it to exactly one hook call.
  const kmetrics_diag* diag() const { return &diag_; }
  // Moves the collected reports out.
  std::vector<Diagnostic> take();

 private:
  static void onReport(void* user, kmetrics_str path, kmetrics_str message) noexcept;

  kmetrics_diag diag_;
  std::mutex mu_;  // the ABI says one thread, but a buggy plugin must not corrupt the host
  std::vector<Diagnostic> items_;
};

}  // namespace kmetrics
