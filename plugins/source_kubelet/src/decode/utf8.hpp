// UTF-8 validation for names taken from untrusted payloads (they end up in API responses).
#pragma once

#include <cstddef>
#include <string_view>

namespace kmetrics::kubelet {

// Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no surrogates,
// ≤ U+10FFFF), or std::string_view::npos when all of `s` is valid. ASCII fast path.
std::size_t utf8_error_offset(std::string_view s);

inline bool is_valid_utf8(std::string_view s) { return utf8_error_offset(s) == std::string_view::npos; }

}  // namespace kmetrics::kubelet
