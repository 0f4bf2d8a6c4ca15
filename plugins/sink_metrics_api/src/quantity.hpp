// Kubernetes canonical quantity strings, as metrics-server's values serialize
// (reference/wire-formats.md §7): CPU from nanocores as DecimalSI, memory from bytes as BinarySI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kmetrics::metrics_api {

// A quantity's text without a heap allocation: at most 20 digits and a 2-character suffix.
struct QuantityText {
  char data[24];
  size_t size = 0;
  std::string_view view() const { return {data, size}; }
};

// nanocores → "12345678n", "5m", "100u", "1", "1500m", "0".
QuantityText cpuQuantityText(uint64_t nanocores);
std::string cpuQuantity(uint64_t nanocores);

// bytes → "1536Ki", "1000Mi", "1000000", "512", "0".
QuantityText memoryQuantityText(uint64_t bytes);
std::string memoryQuantity(uint64_t bytes);

}  // namespace kmetrics::metrics_api
