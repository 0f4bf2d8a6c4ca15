// Fixed-capacity ring of rows; the oldest row is overwritten when full. Not thread-safe: History
// guards each ring with its shard lock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "model/sample.hpp"

namespace kmetrics {

// One tick of one entity: all of the entity's series share the timestamp, so it is stored once.
template <size_t N>
struct HistoryRow {
  UnixNanos timestamp = 0;
  uint32_t generation = 0;  // apply() that wrote the row; lets an older snapshot hide newer rows
  uint16_t present = 0;     // bit i set: values[i] holds a value
  std::array<uint64_t, N> values{};  // int64 or double bits, per series_is_float()
};

template <size_t N>
class RowRing {
 public:
  RowRing() = default;
  explicit RowRing(size_t capacity) : capacity_(capacity) {}

  // Rows are allocated on the first push: entities that never report a series cost nothing.
  void push(const HistoryRow<N>& row) {
    if (capacity_ == 0) return;
    if (!rows_) rows_ = std::make_unique<HistoryRow<N>[]>(capacity_);
    rows_[(head_ + size_) % capacity_] = row;
    if (size_ < capacity_) {
      ++size_;
    } else {
      head_ = (head_ + 1) % capacity_;
    }
  }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // i = 0 is the oldest row.
  const HistoryRow<N>& at(size_t i) const { return rows_[(head_ + i) % capacity_]; }
  const HistoryRow<N>* newest() const { return size_ == 0 ? nullptr : &at(size_ - 1); }

 private:
  size_t capacity_ = 0;
  size_t head_ = 0;
  size_t size_ = 0;
  std::unique_ptr<HistoryRow<N>[]> rows_;
};

}  // namespace kmetrics
