// Status: the result of SDK calls and plugin hooks. A code from the ABI plus a message.
#pragma once

#include <string>
#include <utility>

#include "kmetrics/abi.h"

namespace kmetrics::sdk {

class Status {
 public:
  Status() = default;
  Status(kmetrics_status code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalidArgument(std::string m) { return {KMETRICS_ERR_INVALID_ARGUMENT, std::move(m)}; }
  static Status unavailable(std::string m) { return {KMETRICS_ERR_UNAVAILABLE, std::move(m)}; }
  static Status deadline(std::string m) { return {KMETRICS_ERR_DEADLINE, std::move(m)}; }
  static Status notFound(std::string m) { return {KMETRICS_ERR_NOT_FOUND, std::move(m)}; }
  static Status internal(std::string m) { return {KMETRICS_ERR_INTERNAL, std::move(m)}; }

  bool isOk() const { return code_ == KMETRICS_OK; }
  kmetrics_status code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  kmetrics_status code_ = KMETRICS_OK;
  std::string message_;
};

}  // namespace kmetrics::sdk
