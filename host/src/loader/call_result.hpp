// CallResult: the outcome of one call into a plugin hook, with every (path, message) the plugin
// reported through its kmetrics_diag.
#pragma once

#include <string>
#include <vector>

#include "kmetrics/abi.h"

namespace kmetrics {

struct Diagnostic {
  std::string path;     // config path, node name, or empty
  std::string message;
};

struct CallResult {
  kmetrics_status status = KMETRICS_OK;
  std::vector<Diagnostic> diagnostics;

  bool ok() const { return status == KMETRICS_OK; }
  // "STATUS: path: message; message2" — one line for logs and health.
  std::string summary() const;
};

// "OK", "INVALID_ARGUMENT", ... ("UNKNOWN(7)" for values outside the enum).
std::string statusName(kmetrics_status status);

}  // namespace kmetrics
