#include "quantity.hpp"

#include <charconv>

namespace kmetrics::metrics_api {
namespace {

QuantityText text(uint64_t value, std::string_view suffix) {
  QuantityText t;
  char* end = std::to_chars(t.data, t.data + sizeof(t.data), value).ptr;
  for (char c : suffix) *end++ = c;
  t.size = static_cast<size_t>(end - t.data);
  return t;
}

}  // namespace

QuantityText cpuQuantityText(uint64_t nanocores) {
  if (nanocores == 0) {
    return text(0, "");
  }
  // metrics-server divides values above int64's range by 10 and raises the scale (types.go).
  int exponent = -9;
  uint64_t mantissa = nanocores;
  if (mantissa > static_cast<uint64_t>(INT64_MAX)) {
    mantissa /= 10;
    exponent += 1;
  }
  // Strip trailing zeros into the exponent, then align the exponent to a multiple of 3.
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  while (((exponent % 3) + 3) % 3 != 0) {
    mantissa *= 10;
    --exponent;
  }
  const char* suffix = "";
  switch (exponent) {
    case -9: suffix = "n"; break;
    case -6: suffix = "u"; break;
    case -3: suffix = "m"; break;
    case 0: suffix = ""; break;
    case 3: suffix = "k"; break;
    case 6: suffix = "M"; break;
    case 9: suffix = "G"; break;
    case 12: suffix = "T"; break;
    case 15: suffix = "P"; break;
    case 18: suffix = "E"; break;
    default: break;
  }
  return text(mantissa, suffix);
}

QuantityText memoryQuantityText(uint64_t bytes) {
  if (bytes == 0) {
    return text(0, "");
  }
  uint64_t value = bytes;
  if (value > static_cast<uint64_t>(INT64_MAX)) {
    value = value / 10 * 10;  // metrics-server loses the last digit above int64's range
  }
  if (value < 1024) {
    return text(value, "");
  }
  static const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  int power = 0;
  while (power < 6 && value % 1024 == 0) {
    value /= 1024;
    ++power;
  }
  return text(value, kSuffixes[power]);
}

std::string cpuQuantity(uint64_t nanocores) { return std::string(cpuQuantityText(nanocores).view()); }

std::string memoryQuantity(uint64_t bytes) { return std::string(memoryQuantityText(bytes).view()); }

}  // namespace kmetrics::metrics_api
