// Timestamps as metav1.Time serializes them: RFC 3339, UTC, whole seconds ("2024-05-01T10:00:15Z").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kmetrics::metrics_api {

std::string rfc3339Seconds(int64_t unix_ns);

// Whole seconds since the epoch, rounded down (also before the epoch), as metav1.Time truncates.
int64_t unixSeconds(int64_t unix_ns);
std::string rfc3339FromSeconds(int64_t unix_seconds);

// The texts of the last few values formatted, direct-mapped by value: list items share a handful of
// timestamps (seconds) and windows, so each is formatted once per response instead of once per item.
template <size_t N>
class TextCache {
 public:
  // The text of `key`, from `format(key)` on a miss.
  template <class Format>
  std::string_view get(int64_t key, Format&& format) {
    Slot& s = slots_[static_cast<uint64_t>(key) % N];
    if (!s.valid || s.key != key) {
      s.text = format(key);
      s.key = key;
      s.valid = true;
    }
    return s.text;
  }

 private:
  struct Slot {
    bool valid = false;
    int64_t key = 0;
    std::string text;
  };
  std::array<Slot, N> slots_;
};

}  // namespace kmetrics::metrics_api
