#include "serving/verified_chains.hpp"

#include <algorithm>

namespace kmetrics {

bool VerifiedChains::contains(const std::string& chain_der, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto it = until_.find(chain_der);
  return it != until_.end() && now < it->second;
}

void VerifiedChains::add(std::string chain_der, Clock::time_point now, Clock::time_point leaf_not_after) {
  const Clock::time_point until = std::min(now + ttl_, leaf_not_after);
  if (until <= now) return;
  std::lock_guard lock(mu_);
  if (until_.size() >= max_entries_ && until_.count(chain_der) == 0) {
    std::erase_if(until_, [&](const auto& entry) { return entry.second <= now; });
    if (until_.size() >= max_entries_) until_.clear();  // many live clients: start over rather than grow
  }
  until_[std::move(chain_der)] = until;
}

std::size_t VerifiedChains::size() const {
  std::lock_guard lock(mu_);
  return until_.size();
}

}  // namespace kmetrics
