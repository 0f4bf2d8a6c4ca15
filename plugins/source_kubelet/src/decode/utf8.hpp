// UTF-8 validation for names taken from untrusted payloads (they end up in API responses).
#pragma once

#include <string_view>

namespace kmetrics::kubelet {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). ASCII fast path.
bool is_valid_utf8(std::string_view s);

}  // namespace kmetrics::kubelet
