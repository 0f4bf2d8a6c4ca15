#include "store/history_series.hpp"

#include <array>

namespace kmetrics {
namespace {

constexpr std::array<std::string_view, kSeriesCount> kNames = {
    "cpu/usage_rate",         "memory/working_set",     "memory/usage",
    "network/rx_rate",        "network/tx_rate",        "network/rx_errors_rate",
    "network/tx_errors_rate", "filesystem/usage",       "memory/rss",
    "memory/page_faults_rate", "memory/major_page_faults_rate", "uptime",
};

}  // namespace

std::string_view series_name(Series s) { return kNames[static_cast<size_t>(s)]; }

std::optional<Series> series_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Series>(i);
  }
  return std::nullopt;
}

}  // namespace kmetrics
