// Reads metrics.k8s.io through the aggregator as admin (JSON), for bounded polling between kubectl
// checks: which nodes/pods are served right now, with what values and timestamps.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "sim_fixture.hpp"

namespace kmetrics::e2e {

struct ServedUsage {
  long double cpu_cores = 0;  // may be negative/huge if the server is wrong: tests check that
  long double memory_bytes = 0;
  std::string timestamp;
  std::map<std::string, std::pair<long double, long double>> containers;  // name → cpu, memory
};

// name → usage; `ok` false (and empty map) when the request failed.
std::map<std::string, ServedUsage> servedNodes(const E2ECluster& c, bool* ok = nullptr);
// "ns/name" → usage summed over containers.
std::map<std::string, ServedUsage> servedPods(const E2ECluster& c, bool* ok = nullptr);

// Waits until kmetrics has published `ticks` new node timestamps for `node` (bounded).
bool waitForScrapes(const E2ECluster& c, const std::string& node, int ticks, std::chrono::seconds bound);

}  // namespace kmetrics::e2e
