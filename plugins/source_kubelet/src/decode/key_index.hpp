// Open-addressing map from up to three string views, e.g. (namespace, pod) or (namespace, pod,
// container), to a uint32 index.
//
// Built for the per-scrape grouping step: clear() is O(1) (generation stamp) and the table keeps its
// memory, so after the first scrapes of a node grouping allocates nothing. The views must stay valid
// while they are in the table (they point into the payload or a decoder-owned arena).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace kmetrics::kubelet {

class KeyIndex {
 public:
  void clear() {
    ++generation_;
    size_ = 0;
    if (generation_ == 0) {  // wrapped: stale stamps could look current
      for (auto& s : slots_) s.generation = 0;
      generation_ = 1;
    }
  }

  // Returns the index stored for the key, or inserts `value_if_new` and returns it.
  // `inserted` tells which happened.
  uint32_t find_or_insert(std::string_view a, std::string_view b, std::string_view c,
                          uint32_t value_if_new, bool& inserted) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const uint64_t h = hash(a, b, c);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.generation != generation_) {
        s = Slot{h, a, b, c, value_if_new, generation_};
        ++size_;
        inserted = true;
        return value_if_new;
      }
      if (s.hash == h && s.a == a && s.b == b && s.c == c) {
        inserted = false;
        return s.value;
      }
    }
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    std::string_view a;
    std::string_view b;
    std::string_view c;
    uint32_t value = 0;
    uint32_t generation = 0;  // slot is live only when equal to generation_
  };

  // A multiply-mix over 8-byte words (wyhash-style), inlined: keys are short names, for which
  // std::hash's out-of-line murmur call per view cost more than the probing. Never reads outside
  // the views. Like std::hash it is unkeyed.
  static uint64_t mix(uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
  }
  static uint64_t load64(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static uint64_t load32(const char* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }
  static uint64_t hash_view(uint64_t h, std::string_view v) {
    constexpr uint64_t k1 = 0xa0761d6478bd642full;
    constexpr uint64_t k2 = 0xe7037ed1a0b428dbull;
    const char* p = v.data();
    std::size_t n = v.size();
    h ^= n * k2;
    while (n > 8) {
      h = mix(h ^ load64(p), k1);
      p += 8;
      n -= 8;
    }
    uint64_t tail = 0;
    if (n >= 4) {
      tail = load32(p) | (load32(p + n - 4) << 32);  // overlapping when n < 8
    } else if (n > 0) {
      tail = static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
             static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
             static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    }
    return mix(h ^ tail, k2);
  }
  static uint64_t hash(std::string_view a, std::string_view b, std::string_view c) {
    return hash_view(hash_view(hash_view(0x9E3779B97F4A7C15ull, a), b), c);
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& o : old) {
      if (o.generation != generation_) continue;
      for (std::size_t i = static_cast<std::size_t>(o.hash) & mask;; i = (i + 1) & mask) {
        if (slots_[i].generation != generation_) {
          slots_[i] = o;
          break;
        }
      }
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  uint32_t generation_ = 1;
};

}  // namespace kmetrics::kubelet
