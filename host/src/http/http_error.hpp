// Errors of the outgoing HTTP client. The message is complete and meant for logs and plugin diags:
// "GET https://10.0.0.1:10250/metrics/resource: connection refused".
#pragma once

#include <stdexcept>
#include <string>

namespace kmetrics::http {

enum class ErrorKind {
  invalid_argument,  // bad URL, method or profile: retrying will not help
  connect,           // refused, unreachable, no such host
  timeout,           // the request deadline passed
  tls,               // handshake failed, certificate verification failed
  protocol,          // malformed response, unexpected end of stream
  too_large,         // body above the configured limit
  cancelled,         // interrupted by stop()
  io                 // other socket errors (reset by peer, ...)
};

const char* error_kind_name(ErrorKind kind);

class HttpError : public std::runtime_error {
 public:
  HttpError(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace kmetrics::http
