// Names and kinds of the series kept in the history ring for the heapster-compatible sink.
// Names and units follow heapster (reference/heapster.md §3). Pure data; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kmetrics {

// Long-window series (heapster's 15-minute "long store", plus working set which the metrics APIs read)
// come first, then the short-window extended series (heapster's 140 s "short store").
enum class Series : uint8_t {
  kCpuUsageRate = 0,     // cpu/usage_rate, int64 millicores
  kMemoryWorkingSet,     // memory/working_set, int64 bytes
  kMemoryUsage,          // memory/usage, int64 bytes
  kNetworkRxRate,        // network/rx_rate, float bytes/s
  kNetworkTxRate,        // network/tx_rate, float bytes/s
  kNetworkRxErrorsRate,  // network/rx_errors_rate, float 1/s
  kNetworkTxErrorsRate,  // network/tx_errors_rate, float 1/s
  kFilesystemUsage,      // filesystem/usage, int64 bytes
  kMemoryRss,            // memory/rss, int64 bytes
  kPageFaultsRate,       // memory/page_faults_rate, float 1/s
  kMajorPageFaultsRate,  // memory/major_page_faults_rate, float 1/s
  kUptime,               // uptime, int64 milliseconds
};

inline constexpr size_t kLongSeriesCount = 3;
inline constexpr size_t kShortSeriesCount = 9;
inline constexpr size_t kSeriesCount = kLongSeriesCount + kShortSeriesCount;

constexpr bool is_long_series(Series s) { return static_cast<size_t>(s) < kLongSeriesCount; }

// Rates of counters are floats in heapster; everything else is an int64.
constexpr bool series_is_float(Series s) {
  switch (s) {
    case Series::kNetworkRxRate:
    case Series::kNetworkTxRate:
    case Series::kNetworkRxErrorsRate:
    case Series::kNetworkTxErrorsRate:
    case Series::kPageFaultsRate:
    case Series::kMajorPageFaultsRate:
      return true;
    default:
      return false;
  }
}

// Heapster metric name, e.g. "cpu/usage_rate".
std::string_view series_name(Series s);
std::optional<Series> series_from_name(std::string_view name);

}  // namespace kmetrics
