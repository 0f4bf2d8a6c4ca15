// Host logging: spdlog configured from --logging-format (text|json) and -v (klog verbosity).
// klog's -v maps onto levels: 0..1 info, 2..3 debug, >=4 trace; warnings and errors always print.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace kmetrics {

enum class LogFormat { kText, kJson };

struct LogSettings {
  LogFormat format = LogFormat::kText;
  int verbosity = 0;
};

// Installs the process-wide logger (stderr). Safe to call again to change settings.
void configureLogging(const LogSettings& settings);

// The spdlog level a klog verbosity enables.
spdlog::level::level_enum levelForVerbosity(int verbosity);

// Escapes a string for inclusion inside a JSON string literal (for the json log format).
std::string jsonEscape(std::string_view s);

}  // namespace kmetrics
