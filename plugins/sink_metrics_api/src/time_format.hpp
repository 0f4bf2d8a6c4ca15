// Timestamps as metav1.Time serializes them: RFC 3339, UTC, whole seconds ("2024-05-01T10:00:15Z").
#pragma once

#include <cstdint>
#include <string>

namespace kmetrics::metrics_api {

std::string rfc3339Seconds(int64_t unix_ns);

}  // namespace kmetrics::metrics_api
