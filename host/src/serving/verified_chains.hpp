// Client chains that verified recently against one CaBundle, keyed by their DER bytes. A front proxy
// (the aggregator) sends every request over a few keep-alive connections with the same certificate;
// without this each request paid a full chain verification (~0.3 ms of signature checks).
// Only successes are kept, each until min(now + ttl, the leaf's notAfter), so an expired certificate
// is never accepted and a renewed CA bundle starts with an empty cache (it is a new CaBundle).
// THREADING: thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kmetrics {

class VerifiedChains {
 public:
  using Clock = std::chrono::system_clock;  // certificate times are wall-clock times

  explicit VerifiedChains(std::chrono::seconds ttl = std::chrono::seconds(10), std::size_t max_entries = 1024)
      : ttl_(ttl), max_entries_(max_entries) {}

  // True when `chain_der` verified and its entry has not expired at `now`.
  bool contains(const std::string& chain_der, Clock::time_point now) const;
  // Records a successful verification at `now` of a chain whose leaf expires at `leaf_not_after`.
  void add(std::string chain_der, Clock::time_point now, Clock::time_point leaf_not_after);
  std::size_t size() const;

 private:
  const std::chrono::seconds ttl_;
  const std::size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Clock::time_point> until_;
};

}  // namespace kmetrics
