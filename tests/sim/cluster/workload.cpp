#include "cluster/workload.hpp"

namespace kmetrics::sim {
namespace {

// FNV-1a: stable across runs and platforms, unlike std::hash.
uint64_t stableHash(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

ContainerWorkload workloadFor(const std::string& seed) {
  const uint64_t h = stableHash(seed);
  ContainerWorkload w;
  w.cpu_millicores = 1 + h % 1000;
  const uint64_t mib = 8 + (h >> 20) % 505;
  const uint64_t extra_pages = (h >> 40) % 256;
  w.memory_bytes = mib * 1024 * 1024 + extra_pages * 4096;
  return w;
}

uint64_t cumulativeCpuNanos(uint64_t rate_millicores, UnixNanos start, UnixNanos now) {
  if (now <= start) {
    return 0;
  }
  // rate_millicores/1000 cores × elapsed ns; split to avoid overflow for long uptimes.
  const uint64_t elapsed = static_cast<uint64_t>(now - start);
  return (elapsed / 1000) * rate_millicores + (elapsed % 1000) * rate_millicores / 1000;
}

}  // namespace kmetrics::sim
