// Kubernetes resource quantities ("100m", "1.5", "64Mi", "1G", "1e3", "128974848"), as
// k8s.io/apimachinery/pkg/api/resource parses them:
//   <quantity> ::= [+-] <number> <suffix>;  <number> ::= digits | digits.digits | digits. | .digits
//   <suffix>   ::= Ki|Mi|Gi|Ti|Pi|Ei | n|u|m|""|k|M|G|T|P|E | (e|E)[+-]digits
// Conversions round up like Quantity.Value()/MilliValue() ("1n" is 1 millicore; "0.5" bytes is 1).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kmetrics::cluster {

// value × 10^scale, rounded up (towards +infinity). nullopt and `error` set ("invalid quantity
// \"1.2.3\": ...") on bad syntax or when the result does not fit in int64.
std::optional<int64_t> parse_quantity_scaled(std::string_view text, int scale, std::string* error = nullptr);

// CPU: millicores. Memory and other byte counts: the plain value.
inline std::optional<int64_t> parse_quantity_milli(std::string_view text, std::string* error = nullptr) {
  return parse_quantity_scaled(text, 3, error);
}
inline std::optional<int64_t> parse_quantity_value(std::string_view text, std::string* error = nullptr) {
  return parse_quantity_scaled(text, 0, error);
}

}  // namespace kmetrics::cluster
