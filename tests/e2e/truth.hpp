// Ground truth from the sim (GET /sim/truth) and the tolerances the suite compares with:
// CPU ±10 % or ±3m (rates are constant, but kmetrics divides counter deltas by its own window),
// memory ±1Mi (kubectl rounds the byte count up, then floors to Mi).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kmetrics::e2e {

struct TruthContainer {
  std::string name;
  int64_t cpu_m = 0;
  int64_t memory_bytes = 0;
  int restart_count = 0;
};

struct TruthPod {
  std::string ns, name, node, phase;
  std::map<std::string, std::string> labels;
  int64_t cpu_m = 0;
  int64_t memory_bytes = 0;
  std::vector<TruthContainer> containers;
  bool running() const { return phase == "Running"; }
};

struct TruthNode {
  std::string name, fault;
  std::map<std::string, std::string> labels;
  int64_t cpu_m = 0;
  int64_t memory_bytes = 0;
  int64_t allocatable_cpu_m = 0;
  int64_t allocatable_memory_bytes = 0;
  int64_t capacity_cpu_m = 0;
  int64_t capacity_memory_bytes = 0;
};

struct Truth {
  std::vector<TruthNode> nodes;
  std::vector<TruthPod> pods;
  const TruthNode* node(const std::string& name) const;
  const TruthPod* pod(const std::string& ns, const std::string& name) const;
};

Truth parseTruth(const std::string& json);  // throws on malformed JSON

constexpr int64_t kMi = 1048576;
bool cpuClose(int64_t printed_m, int64_t truth_m);
bool memClose(int64_t printed_mi, int64_t truth_bytes);
// kubectl's percentage: int64(usage_milli / allocatable_milli * 100), truncated. The printed usage
// is already rounded, so allow 1 point either way.
bool percentConsistent(int64_t printed_pct, long double usage, long double allocatable);

}  // namespace kmetrics::e2e
