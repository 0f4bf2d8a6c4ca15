// getaddrinfo() blocks for as long as the resolver takes (seconds with a dead DNS server) and cannot
// be bounded by a deadline. On a scrape fiber's thread that would stall every other scrape of the
// thread, so there the lookup runs on a short-lived thread of its own and the fiber waits for it until
// its deadline; a lookup the fiber gave up on finishes and cleans up by itself.
#pragma once

#include <netdb.h>

#include <memory>
#include <optional>
#include <string>

#include "http/deadline.hpp"

namespace kmetrics::http {

struct AddrInfoFree {
  void operator()(addrinfo* list) const {
    if (list != nullptr) freeaddrinfo(list);
  }
};
using AddrInfoList = std::unique_ptr<addrinfo, AddrInfoFree>;

struct LookupResult {
  int rc = 0;  // getaddrinfo's return value
  AddrInfoList list;
};

// getaddrinfo(host, service, hints): on the calling thread when it is not a scrape fiber's, else off
// it. nullopt when `deadline` passed before the answer.
std::optional<LookupResult> lookup_until(const std::string& host, const std::string& service, const addrinfo& hints,
                                         Clock::time_point deadline);

}  // namespace kmetrics::http
