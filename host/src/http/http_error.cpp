#include "http/http_error.hpp"

namespace kmetrics::http {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return "invalid_argument";
    case ErrorKind::connect: return "connect";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::tls: return "tls";
    case ErrorKind::protocol: return "protocol";
    case ErrorKind::too_large: return "too_large";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::io: return "io";
  }
  return "unknown";
}

}  // namespace kmetrics::http
