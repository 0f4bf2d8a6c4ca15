// invokeHook: calls one plugin hook with a fresh diag, turning anything thrown into a CallResult.
// The SDK already catches on its side; this defends against plugins written without it.
#pragma once

#include <exception>
#include <string>

#include "loader/call_result.hpp"
#include "loader/diag_collector.hpp"

namespace kmetrics {

// `fn(const kmetrics_diag*)` returns a kmetrics_status.
template <class Fn>
CallResult invokeHook(const char* hook, Fn&& fn) noexcept {
  CallResult r;
  try {
    DiagCollector diag;
    try {
      r.status = fn(diag.diag());
    } catch (const std::exception& e) {
      r.status = KMETRICS_ERR_INTERNAL;
      r.diagnostics = diag.take();
      r.diagnostics.push_back({"", std::string(hook) + " threw an exception: " + e.what()});
      return r;
    } catch (...) {
      r.status = KMETRICS_ERR_INTERNAL;
      r.diagnostics = diag.take();
      r.diagnostics.push_back({"", std::string(hook) + " threw a non-standard exception"});
      return r;
    }
    r.diagnostics = diag.take();
    if (r.status != KMETRICS_OK && r.diagnostics.empty()) {
      r.diagnostics.push_back(
          {"", std::string(hook) + " failed with " + statusName(r.status) + " and no message"});
    }
  } catch (...) {
    r.status = KMETRICS_ERR_INTERNAL;  // allocation failure while building the result
  }
  return r;
}

}  // namespace kmetrics
