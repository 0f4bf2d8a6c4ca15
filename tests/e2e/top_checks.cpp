#include "top_checks.hpp"

namespace kmetrics::e2e {
namespace {

::testing::AssertionResult checkCpuMem(const TopRow& row, int64_t cpu_m, int64_t mem_bytes, const std::string& what) {
  auto cpu = parseCpuMilli(row.at("CPU(cores)"));
  auto mem = parseMemMi(row.at("MEMORY(bytes)"));
  if (!cpu || !mem) return ::testing::AssertionFailure() << what << ": unparsable cells in '" << row.raw << "'";
  if (!cpuClose(*cpu, cpu_m))
    return ::testing::AssertionFailure() << what << ": CPU " << *cpu << "m, truth " << cpu_m << "m ('" << row.raw << "')";
  if (!memClose(*mem, mem_bytes))
    return ::testing::AssertionFailure() << what << ": memory " << *mem << "Mi, truth " << mem_bytes << " bytes = "
                                         << mem_bytes / kMi << "Mi ('" << row.raw << "')";
  return ::testing::AssertionSuccess();
}

}  // namespace

::testing::AssertionResult nodeRowMatches(const TopRow& row, const Truth& t, bool capacity) {
  const std::string& name = row.at("NAME");
  const TruthNode* n = t.node(name);
  if (n == nullptr) return ::testing::AssertionFailure() << "node " << name << " is not in the truth";
  if (row.unknown) return ::testing::AssertionFailure() << "node " << name << " has no metrics: '" << row.raw << "'";
  auto r = checkCpuMem(row, n->cpu_m, n->memory_bytes, "node " + name);
  if (!r) return r;
  auto cpu_pct = parsePercent(row.at("CPU(%)"));
  auto mem_pct = parsePercent(row.at("MEMORY(%)"));
  const auto cpu = *parseCpuMilli(row.at("CPU(cores)"));
  const auto mem_mi = *parseMemMi(row.at("MEMORY(bytes)"));
  const int64_t avail_cpu = capacity ? n->capacity_cpu_m : n->allocatable_cpu_m;
  const int64_t avail_mem = capacity ? n->capacity_memory_bytes : n->allocatable_memory_bytes;
  if (!cpu_pct || !percentConsistent(*cpu_pct, cpu, avail_cpu))
    return ::testing::AssertionFailure() << "node " << name << ": CPU% inconsistent with "
                                         << (capacity ? "capacity " : "allocatable ") << avail_cpu << "m: '"
                                         << row.raw << "'";
  // Printed Mi is floored, so the true percentage lies between the bounds of mem_mi and mem_mi+1.
  if (!mem_pct || !(percentConsistent(*mem_pct, static_cast<long double>(mem_mi) * kMi, avail_mem) ||
                    percentConsistent(*mem_pct, static_cast<long double>(mem_mi + 1) * kMi, avail_mem)))
    return ::testing::AssertionFailure() << "node " << name << ": MEMORY% inconsistent with "
                                         << (capacity ? "capacity " : "allocatable ") << avail_mem << ": '"
                                         << row.raw << "'";
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult podRowMatches(const TopRow& row, const Truth& t, const std::string& ns) {
  const std::string pod_ns = row.cells.count("NAMESPACE") ? row.at("NAMESPACE") : ns;
  const std::string& name = row.at("NAME");
  const TruthPod* p = t.pod(pod_ns, name);
  if (p == nullptr) return ::testing::AssertionFailure() << "pod " << pod_ns << "/" << name << " is not in the truth";
  return checkCpuMem(row, p->cpu_m, p->memory_bytes, "pod " + pod_ns + "/" + name);
}

::testing::AssertionResult containerRowMatches(const TopRow& row, const Truth& t, const std::string& ns) {
  const std::string pod_ns = row.cells.count("NAMESPACE") ? row.at("NAMESPACE") : ns;
  const std::string& pod = row.at("POD");
  const std::string& name = row.at("NAME");
  const TruthPod* p = t.pod(pod_ns, pod);
  if (p == nullptr) return ::testing::AssertionFailure() << "pod " << pod_ns << "/" << pod << " is not in the truth";
  for (const auto& c : p->containers) {
    if (c.name == name) return checkCpuMem(row, c.cpu_m, c.memory_bytes, "container " + pod_ns + "/" + pod + "/" + name);
  }
  return ::testing::AssertionFailure() << "container " << name << " is not in pod " << pod_ns << "/" << pod;
}

std::vector<std::string> rowNames(const TopTable& table, bool with_ns) {
  std::vector<std::string> out;
  for (const auto& r : table.rows) {
    std::string n = r.cells.count("NAME") ? r.at("NAME") : "";
    if (with_ns && r.cells.count("NAMESPACE")) n = r.at("NAMESPACE") + "/" + n;
    out.push_back(n);
  }
  return out;
}

std::set<std::string> nameSet(const TopTable& table, bool with_ns) {
  auto v = rowNames(table, with_ns);
  return {v.begin(), v.end()};
}

}  // namespace kmetrics::e2e
