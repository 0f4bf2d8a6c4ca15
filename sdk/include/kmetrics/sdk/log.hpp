// Logging facade over the host's logger, so plugins share its format, level and sinks.
//   logger.info("scraped ", n, " nodes in ", ms, "ms");
#pragma once

#include <sstream>
#include <string>

#include "kmetrics/abi.h"
#include "kmetrics/sdk/strings.hpp"

namespace kmetrics::sdk {

class Logger {
 public:
  Logger() = default;
  Logger(const kmetrics_host_api* api, void* ctx) : api_(api), ctx_(ctx) {}

  bool enabled(kmetrics_log_level level) const {
    return api_ != nullptr && api_->log_enabled != nullptr && api_->log_enabled(ctx_, level) != 0;
  }

  template <class... Args>
  void log(kmetrics_log_level level, const Args&... args) const {
    if (!enabled(level)) {
      return;
    }
    std::ostringstream os;
    (os << ... << args);
    const std::string msg = os.str();
    api_->log(ctx_, level, toStr(msg));
  }

  template <class... Args>
  void trace(const Args&... a) const { log(KMETRICS_LOG_TRACE, a...); }
  template <class... Args>
  void debug(const Args&... a) const { log(KMETRICS_LOG_DEBUG, a...); }
  template <class... Args>
  void info(const Args&... a) const { log(KMETRICS_LOG_INFO, a...); }
  template <class... Args>
  void warn(const Args&... a) const { log(KMETRICS_LOG_WARN, a...); }
  template <class... Args>
  void error(const Args&... a) const { log(KMETRICS_LOG_ERROR, a...); }

 private:
  const kmetrics_host_api* api_ = nullptr;
  void* ctx_ = nullptr;
};

}  // namespace kmetrics::sdk
