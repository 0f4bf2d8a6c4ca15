#include "kubelet/summary_encoder.hpp"

#include <cstdio>
#include <limits>

#include "kubelet/go_float_format.hpp"
#include "kubelet/time_format.hpp"

namespace kmetrics::sim {
namespace {

constexpr uint64_t kPage = 4096;
// Fault "nan" in JSON: a summary cannot carry NaN, so the broken read shows up as the largest
// uint64 (what a failed cgroup read wrapped to -1 looks like).
constexpr uint64_t kBroken = std::numeric_limits<uint64_t>::max();

uint64_t pageAlign(uint64_t v) { return v / kPage * kPage; }

uint64_t secondsSince(UnixNanos from, UnixNanos now) {
  return now > from ? static_cast<uint64_t>(now - from) / 1'000'000'000ull : 0;
}

uint64_t mix(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

class Json {
 public:
  explicit Json(std::string& out) : out_(out) {}
  void raw(const char* s) { out_ += s; }
  void str(const std::string& s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"') out_ += "\\\"";
      else if (c == '\\') out_ += "\\\\";
      else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        out_ += buf;
      } else out_ += c;
    }
    out_ += '"';
  }
  void key(const char* k) {
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void u(const char* k, uint64_t v) {
    key(k);
    appendUint(out_, v);
  }
  void time(const char* k, UnixNanos t) {
    key(k);
    out_ += '"';
    appendRfc3339Seconds(out_, t);
    out_ += '"';
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
};

void cpu(Json& j, UnixNanos now, uint64_t rate_millicores, uint64_t cumulative, bool broken) {
  j.raw("\"cpu\":{");
  j.time("time", now);
  j.raw(",");
  j.u("usageNanoCores", broken ? kBroken : rate_millicores * 1'000'000ull);
  j.raw(",");
  j.u("usageCoreNanoSeconds", broken ? kBroken : cumulative);
  j.raw("}");
}

// limit 0 = no limit, so no availableBytes (omitempty in the real type).
void memory(Json& j, UnixNanos now, uint64_t working_set, uint64_t limit, uint64_t seed, uint64_t age_s, bool broken) {
  j.raw("\"memory\":{");
  j.time("time", now);
  if (limit > working_set && !broken) {
    j.raw(",");
    j.u("availableBytes", limit - working_set);
  }
  j.raw(",");
  j.u("usageBytes", broken ? kBroken : working_set + pageAlign(working_set / 8));
  j.raw(",");
  j.u("workingSetBytes", broken ? kBroken : working_set);
  j.raw(",");
  j.u("rssBytes", pageAlign(working_set / 4 * 3));
  j.raw(",");
  j.u("pageFaults", seed % 100000 + age_s * 40);
  j.raw(",");
  j.u("majorPageFaults", seed % 97 + age_s / 600);
  j.raw("}");
}

void fs(Json& j, const char* name, UnixNanos now, uint64_t capacity, uint64_t used, uint64_t inodes, uint64_t inodes_used) {
  j.key(name);
  j.raw("{");
  j.time("time", now);
  j.raw(",");
  j.u("availableBytes", capacity - used);
  j.raw(",");
  j.u("capacityBytes", capacity);
  j.raw(",");
  j.u("usedBytes", used);
  j.raw(",");
  j.u("inodesFree", inodes - inodes_used);
  j.raw(",");
  j.u("inodes", inodes);
  j.raw(",");
  j.u("inodesUsed", inodes_used);
  j.raw("}");
}

void iface(Json& j, const char* name, uint64_t rx, uint64_t tx) {
  j.raw("\"name\":");
  j.str(name);
  j.raw(",");
  j.u("rxBytes", rx);
  j.raw(",");
  j.u("rxErrors", 0);
  j.raw(",");
  j.u("txBytes", tx);
  j.raw(",");
  j.u("txErrors", 0);
}

void network(Json& j, UnixNanos now, uint64_t rx, uint64_t tx) {
  j.raw("\"network\":{");
  j.time("time", now);
  j.raw(",");
  iface(j, "eth0", rx, tx);
  j.raw(",\"interfaces\":[{");
  iface(j, "eth0", rx, tx);
  j.raw("}]}");
}

constexpr uint64_t kGi = 1024ull * 1024 * 1024;

}  // namespace

void encodeSummary(const NodeSnapshot& node, const SampleContext& ctx, const SummaryOptions& opts, std::string& out) {
  Json j(out);
  const UnixNanos now = ctx.now;
  const bool broken = ctx.nan_values;
  const bool full = !opts.only_cpu_and_memory;
  const uint64_t node_age = secondsSince(node.boot_time, now);
  const uint64_t node_seed = mix(node.name);

  // System containers split the node's base usage; "pods" is everything in pods.
  const uint64_t kubelet_rate = node.base_cpu_millicores * 6 / 10;
  const uint64_t runtime_rate = node.base_cpu_millicores - kubelet_rate;
  const uint64_t kubelet_cpu = cumulativeCpuNanos(kubelet_rate, node.boot_time, now);
  const uint64_t runtime_cpu = cumulativeCpuNanos(runtime_rate, node.boot_time, now);
  const uint64_t base_cpu = kubelet_cpu + runtime_cpu;
  const uint64_t pods_cpu = ctx.node_cpu_nanos > base_cpu ? ctx.node_cpu_nanos - base_cpu : 0;
  const uint64_t kubelet_mem = pageAlign(node.base_memory_bytes * 6 / 10);
  const uint64_t runtime_mem = node.base_memory_bytes - kubelet_mem;
  const uint64_t pods_mem = node.total_memory_bytes - node.base_memory_bytes;

  j.raw("{\"node\":{");
  j.raw("\"nodeName\":");
  j.str(node.name);
  j.raw(",\"systemContainers\":[");
  struct Sys { const char* name; uint64_t rate, cumulative, mem; };
  const Sys sys[] = {{"kubelet", kubelet_rate, kubelet_cpu, kubelet_mem},
                     {"runtime", runtime_rate, runtime_cpu, runtime_mem},
                     {"pods", node.total_cpu_millicores - node.base_cpu_millicores, pods_cpu, pods_mem}};
  for (size_t i = 0; i < 3; ++i) {
    if (i) j.raw(",");
    j.raw("{\"name\":");
    j.str(sys[i].name);
    j.raw(",");
    j.time("startTime", node.boot_time);
    j.raw(",");
    cpu(j, now, sys[i].rate, sys[i].cumulative, false);
    j.raw(",");
    memory(j, now, sys[i].mem, 0, node_seed + i, node_age, false);
    j.raw("}");
  }
  j.raw("],");
  j.time("startTime", node.boot_time);
  j.raw(",");
  cpu(j, now, node.total_cpu_millicores, ctx.node_cpu_nanos, broken);
  j.raw(",");
  memory(j, now, node.total_memory_bytes, 0, node_seed, node_age, broken);
  if (full) {
    j.raw(",");
    network(j, now, node_age * 250'000 + node_seed % 1'000'000, node_age * 120'000 + node_seed % 700'000);
    j.raw(",");
    fs(j, "fs", now, 100 * kGi, 20 * kGi + node_seed % kGi, 6'553'600, 400'000 + node_seed % 10'000);
    j.raw(",\"runtime\":{");
    fs(j, "imageFs", now, 100 * kGi, 12 * kGi + node_seed % kGi, 6'553'600, 200'000 + node_seed % 5'000);
    j.raw(",");
    fs(j, "containerFs", now, 100 * kGi, 12 * kGi + node_seed % kGi, 6'553'600, 200'000 + node_seed % 5'000);
    j.raw("},\"rlimit\":{");
    j.time("time", now);
    j.raw(",");
    j.u("maxpid", 4194304);
    j.raw(",");
    size_t procs = 200;
    for (const auto& p : node.pods) procs += 1 + p->containers.size() * 3;
    j.u("curproc", procs);
    j.raw("}");
  }
  j.raw("},\"pods\":[");

  for (size_t pi = 0; pi < node.pods.size(); ++pi) {
    const PodSnapshot& p = *node.pods[pi];
    const uint64_t pod_seed = mix(p.uid);
    const uint64_t pod_age = secondsSince(p.start_time, now);
    if (pi) j.raw(",");
    j.raw("{\"podRef\":{\"name\":");
    j.str(p.name);
    j.raw(",\"namespace\":");
    j.str(p.ns);
    j.raw(",\"uid\":");
    j.str(p.uid);
    j.raw("},");
    j.time("startTime", p.start_time);
    j.raw(",\"containers\":");
    if (p.containers.empty()) j.raw("null");  // no omitempty on this field
    else j.raw("[");
    uint64_t pod_cpu = 0;
    for (size_t ci = 0; ci < p.containers.size(); ++ci) {
      const ContainerSnapshot& c = p.containers[ci];
      const uint64_t cum = cumulativeCpuNanos(c.cpu_millicores, c.start_time, now);
      pod_cpu += cum;
      const uint64_t c_seed = mix(c.container_id);
      if (ci) j.raw(",");
      j.raw("{\"name\":");
      j.str(c.name);
      j.raw(",");
      j.time("startTime", c.start_time);
      j.raw(",");
      cpu(j, now, c.cpu_millicores, cum, broken);
      j.raw(",");
      memory(j, now, c.memory_bytes, c.memory_limit_bytes, c_seed, secondsSince(c.start_time, now), broken);
      if (full) {
        j.raw(",");
        fs(j, "rootfs", now, 100 * kGi, 40'960 + c_seed % (64 * 1024 * 1024), 6'553'600, 12 + c_seed % 100);
        j.raw(",");
        fs(j, "logs", now, 100 * kGi, 4096 + secondsSince(c.start_time, now) * 16, 6'553'600, 2);
      }
      j.raw("}");
    }
    if (!p.containers.empty()) j.raw("]");
    j.raw(",");
    cpu(j, now, p.cpu_millicores, pod_cpu, broken);
    j.raw(",");
    memory(j, now, p.memory_bytes, 0, pod_seed, pod_age, broken);
    if (full) {
      j.raw(",");
      network(j, now, pod_age * (1000 + pod_seed % 5000), pod_age * (500 + pod_seed % 3000));
      j.raw(",\"volume\":[{");
      j.time("time", now);
      j.raw(",");
      j.u("availableBytes", 8 * kGi - 12288);
      j.raw(",");
      j.u("capacityBytes", 8 * kGi);
      j.raw(",");
      j.u("usedBytes", 12288);
      j.raw(",");
      j.u("inodesFree", 2'000'000);
      j.raw(",");
      j.u("inodes", 2'000'009);
      j.raw(",");
      j.u("inodesUsed", 9);
      j.raw(",\"name\":");
      char vol[32];
      std::snprintf(vol, sizeof vol, "kube-api-access-%05llx", static_cast<unsigned long long>(pod_seed & 0xfffff));
      j.str(vol);
      j.raw("}],");
      uint64_t eph = 0;
      for (const ContainerSnapshot& c : p.containers) eph += 40'960 + mix(c.container_id) % (64 * 1024 * 1024);
      fs(j, "ephemeral-storage", now, 100 * kGi, eph, 6'553'600, 20 * p.containers.size());
      j.raw(",\"process_stats\":{");
      j.u("process_count", 1 + p.containers.size() * 2);
      j.raw("}");
    }
    j.raw("}");
  }
  j.raw("]}");
}

}  // namespace kmetrics::sim
