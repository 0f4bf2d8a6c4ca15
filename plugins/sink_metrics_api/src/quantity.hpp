// Kubernetes canonical quantity strings, as metrics-server's values serialize
// (reference/wire-formats.md §7): CPU from nanocores as DecimalSI, memory from bytes as BinarySI.
#pragma once

#include <cstdint>
#include <string>

namespace kmetrics::metrics_api {

// nanocores → "12345678n", "5m", "100u", "1", "1500m", "0".
std::string cpuQuantity(uint64_t nanocores);

// bytes → "1536Ki", "1000Mi", "1000000", "512", "0".
std::string memoryQuantity(uint64_t bytes);

}  // namespace kmetrics::metrics_api
