// Time rendering for kubelet payloads and HTTP headers, without locale or libc time-zone state.
#pragma once

#include <string>

#include "cluster/workload.hpp"

namespace kmetrics::sim {

// metav1.Time: RFC 3339, whole seconds, UTC ("2020-04-16T20:25:30Z").
void appendRfc3339Seconds(std::string& out, UnixNanos t);

// HTTP Date header value ("Fri, 27 Nov 2026 10:00:18 GMT").
void appendHttpDate(std::string& out, UnixNanos t);

// Wall-clock now.
UnixNanos wallNow();

}  // namespace kmetrics::sim
