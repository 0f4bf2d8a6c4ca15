#include "summary_decoder.hpp"

#include <simdjson.h>

#include <cstring>
#include <utility>
#include <string>
#include <vector>

#include "result_builder.hpp"
#include "rfc3339.hpp"
#include "utf8.hpp"

namespace kmetrics::kubelet {

namespace od = simdjson::ondemand;

namespace {

struct OptU64 {
  bool present = false;
  uint64_t v = 0;
  void set(uint64_t x) {
    present = true;
    v = x;
  }
};

struct OptTime {
  bool present = false;       // parsed and within int64 ns
  bool out_of_range = false;  // parsed but outside 1677..2262 (e.g. Go's zero time "0001-01-01T00:00:00Z")
  int64_t ns = 0;
};

struct CpuStats {
  OptTime time;
  OptU64 usage_core_ns;
};

struct MemStats {
  OptTime time;
  OptU64 working_set, usage, rss, page_faults, major_page_faults;
};

struct FsStats {
  OptU64 used, capacity, available;
};

struct NetStats {
  OptU64 rx, rx_errors, tx, tx_errors;              // default interface (inlined fields)
  OptU64 sum_rx, sum_rx_errors, sum_tx, sum_tx_errors;  // over interfaces[]
};

struct ContainerStats {
  std::string_view name;
  OptTime start;
  CpuStats cpu;
  MemStats memory;
  FsStats rootfs;
};

// Saturating: a hostile interfaces[] must not wrap a counter into a small number.
inline void add_sat(OptU64& acc, const OptU64& x) {
  if (!x.present) return;
  const uint64_t s = acc.v + x.v;
  acc.set(s < acc.v ? UINT64_MAX : s);
}

inline void put(Extended& e, Extended::Bit bit, uint64_t Extended::*field, const OptU64& x) {
  if (x.present) e.set(bit, field, x.v);
}

void fill_network(Extended& e, const NetStats& n) {
  // The inlined fields describe the default interface; fall back to the sum when they are absent.
  put(e, Extended::kNetworkRxBytes, &Extended::network_rx_bytes, n.rx.present ? n.rx : n.sum_rx);
  put(e, Extended::kNetworkRxErrors, &Extended::network_rx_errors,
      n.rx_errors.present ? n.rx_errors : n.sum_rx_errors);
  put(e, Extended::kNetworkTxBytes, &Extended::network_tx_bytes, n.tx.present ? n.tx : n.sum_tx);
  put(e, Extended::kNetworkTxErrors, &Extended::network_tx_errors,
      n.tx_errors.present ? n.tx_errors : n.sum_tx_errors);
}

void fill_fs(Extended& e, const FsStats& f) {
  put(e, Extended::kFilesystemUsage, &Extended::filesystem_usage, f.used);
  put(e, Extended::kFilesystemLimit, &Extended::filesystem_limit, f.capacity);
  put(e, Extended::kFilesystemAvailable, &Extended::filesystem_available, f.available);
}

void fill_memory(Extended& e, const MemStats& m) {
  put(e, Extended::kMemoryRss, &Extended::memory_rss, m.rss);
  put(e, Extended::kMemoryUsage, &Extended::memory_usage, m.usage);
  put(e, Extended::kPageFaults, &Extended::page_faults, m.page_faults);
  put(e, Extended::kMajorPageFaults, &Extended::major_page_faults, m.major_page_faults);
}

void fill_uptime(Extended& e, const OptTime& start, int64_t sample_ns) {
  if (start.present && sample_ns >= start.ns)
    e.set(Extended::kUptimeSeconds, &Extended::uptime_seconds,
          static_cast<uint64_t>((sample_ns - start.ns) / 1000000000));
}

// metrics-server's completeness rule for one node or container. Returns the drop reason, or
// kCount when the point is usable.
DropReason check_point(const CpuStats& cpu, const MemStats& mem, const OptTime* start,
                       DropReason incomplete) {
  if (!cpu.time.present || !cpu.usage_core_ns.present || cpu.usage_core_ns.v == 0 ||
      !mem.working_set.present || mem.working_set.v == 0)
    return incomplete;
  if (start != nullptr && !start->present) return incomplete;
  if (cpu.time.ns < 0 || (start != nullptr && start->ns < 0)) return DropReason::kNegativeTimestamp;
  return DropReason::kCount;
}

}  // namespace

struct SummaryDecoder::Impl {
  od::parser parser;
  std::vector<char> buffer;  // payload copy + SIMDJSON_PADDING
  ResultBuilder builder;
  std::vector<ContainerStats> pod_containers;  // scratch for the pod being read
  ScrapeResult* out = nullptr;

  // Field path for error messages: pushed/popped as the reader descends; formatted only on error.
  struct Seg {
    std::string_view key;
    int64_t index;  // >= 0 for an array element
  };
  Seg path[16];
  int depth = 0;
  int overflow = 0;  // levels beyond `path` (not shown)
  DecodeStatus status;
  od::document* doc = nullptr;

  struct PathGuard {
    Impl& d;
    PathGuard(Impl& impl, std::string_view key, int64_t index = -1) : d(impl) {
      if (d.depth < 16) d.path[d.depth++] = Seg{key, index};
      else ++d.overflow;
    }
    ~PathGuard() {
      if (d.overflow > 0) --d.overflow;
      else --d.depth;
    }
  };

  std::string path_string() const {
    std::string s;
    for (int i = 0; i < depth; ++i) {
      if (path[i].index >= 0) {
        s += '[';
        s += std::to_string(path[i].index);
        s += ']';
      } else {
        if (!s.empty()) s += '.';
        s.append(path[i].key.data(), path[i].key.size());
      }
    }
    if (overflow > 0) s += "...";
    return s.empty() ? "(root)" : s;
  }

  std::size_t current_offset() const {
    const char* loc = nullptr;
    if (doc != nullptr && doc->current_location().get(loc) == simdjson::SUCCESS && loc != nullptr)
      return static_cast<std::size_t>(loc - buffer.data());
    return payload_size;
  }
  std::size_t payload_size = 0;

  bool fail_type(const char* expected) {
    const std::size_t off = current_offset();
    status = DecodeStatus::Error(DecodeCode::kWrongType,
                                 "summary: " + path_string() + ": expected " + expected + " (byte " +
                                     std::to_string(off) + ")",
                                 0, off);
    return false;
  }

  bool fail_json(simdjson::error_code e) {
    switch (e) {
      case simdjson::INCORRECT_TYPE:
      case simdjson::NUMBER_OUT_OF_RANGE:
      case simdjson::NUMBER_ERROR:
        return fail_type("a value of another type");
      default:
        break;
    }
    const std::size_t off = current_offset();
    status = DecodeStatus::Error(DecodeCode::kMalformed,
                                 std::string("summary: malformed JSON at byte ") + std::to_string(off) +
                                     " (in " + path_string() + "): " + simdjson::error_message(e),
                                 0, off);
    return false;
  }

  // Type of a value; false (with status set) when the JSON is broken.
  bool type_of(od::value& v, od::json_type& t) {
    if (auto e = v.type().get(t)) return fail_json(e);
    return true;
  }

  bool read_u64(od::value v, OptU64& out) {
    od::json_type t{};
    if (!type_of(v, t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::number) return fail_type("unsigned integer");
    uint64_t x = 0;
    if (v.get_uint64().get(x) != simdjson::SUCCESS) return fail_type("unsigned integer");
    out.set(x);
    return true;
  }

  bool read_string(od::value v, std::string_view& out) {
    od::json_type t{};
    if (!type_of(v, t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::string) return fail_type("string");
    if (auto e = v.get_string().get(out)) return fail_json(e);
    return true;
  }

  bool read_time(od::value v, OptTime& out) {
    std::string_view s;
    od::json_type t{};
    if (!type_of(v, t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::string) return fail_type("RFC 3339 time string");
    if (auto e = v.get_string().get(s)) return fail_json(e);
    switch (parse_rfc3339_ns(s, out.ns)) {
      case TimeParse::kOk: out.present = true; return true;
      case TimeParse::kOutOfRange: out.out_of_range = true; return true;
      case TimeParse::kSyntax: break;
    }
    return fail_type("RFC 3339 time string");
  }

  // Calls f(key, value) for each field of an object; null counts as an empty object.
  template <typename F>
  bool for_each_field(od::value v, F&& f) {
    od::json_type t{};
    if (!type_of(v, t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::object) return fail_type("object");
    od::object obj;
    if (auto e = v.get_object().get(obj)) return fail_json(e);
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail_json(e);
      if (!f(key, field.value())) return false;
    }
    return true;
  }

  // Calls f(index, value) for each element of an array; null counts as empty.
  template <typename F>
  bool for_each_element(od::value v, F&& f) {
    od::json_type t{};
    if (!type_of(v, t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::array) return fail_type("array");
    od::array arr;
    if (auto e = v.get_array().get(arr)) return fail_json(e);
    int64_t i = 0;
    for (auto element_result : arr) {
      od::value element;
      if (auto e = std::move(element_result).get(element)) return fail_json(e);
      if (!f(i++, element)) return false;
    }
    return true;
  }

  // ---- stats objects ---------------------------------------------------------------------------

  bool read_cpu(od::value v, CpuStats& cpu) {
    return for_each_field(v, [&](std::string_view k, od::value x) {
      PathGuard g(*this, k);
      if (k == "time") return read_time(x, cpu.time);
      if (k == "usageCoreNanoSeconds") return read_u64(x, cpu.usage_core_ns);
      return true;
    });
  }

  bool read_memory(od::value v, MemStats& m) {
    return for_each_field(v, [&](std::string_view k, od::value x) {
      PathGuard g(*this, k);
      if (k == "time") return read_time(x, m.time);
      if (k == "workingSetBytes") return read_u64(x, m.working_set);
      if (k == "usageBytes") return read_u64(x, m.usage);
      if (k == "rssBytes") return read_u64(x, m.rss);
      if (k == "pageFaults") return read_u64(x, m.page_faults);
      if (k == "majorPageFaults") return read_u64(x, m.major_page_faults);
      return true;
    });
  }

  bool read_fs(od::value v, FsStats& f) {
    return for_each_field(v, [&](std::string_view k, od::value x) {
      PathGuard g(*this, k);
      if (k == "usedBytes") return read_u64(x, f.used);
      if (k == "capacityBytes") return read_u64(x, f.capacity);
      if (k == "availableBytes") return read_u64(x, f.available);
      return true;
    });
  }

  bool read_interface_fields(std::string_view k, od::value x, OptU64& rx, OptU64& rx_err, OptU64& tx,
                             OptU64& tx_err) {
    if (k == "rxBytes") return read_u64(x, rx);
    if (k == "rxErrors") return read_u64(x, rx_err);
    if (k == "txBytes") return read_u64(x, tx);
    if (k == "txErrors") return read_u64(x, tx_err);
    return true;
  }

  bool read_network(od::value v, NetStats& n) {
    return for_each_field(v, [&](std::string_view k, od::value x) {
      PathGuard g(*this, k);
      if (k == "interfaces") {
        return for_each_element(x, [&](int64_t i, od::value iface) {
          PathGuard gi(*this, {}, i);
          OptU64 rx, rx_err, tx, tx_err;
          if (!for_each_field(iface, [&](std::string_view ik, od::value ix) {
                PathGuard gf(*this, ik);
                return read_interface_fields(ik, ix, rx, rx_err, tx, tx_err);
              }))
            return false;
          add_sat(n.sum_rx, rx);
          add_sat(n.sum_rx_errors, rx_err);
          add_sat(n.sum_tx, tx);
          add_sat(n.sum_tx_errors, tx_err);
          return true;
        });
      }
      return read_interface_fields(k, x, n.rx, n.rx_errors, n.tx, n.tx_errors);
    });
  }

  // ---- node, pods, containers ------------------------------------------------------------------

  bool read_node(od::value v) {
    CpuStats cpu;
    MemStats mem;
    NetStats net;
    FsStats fs;
    OptTime start;
    if (!for_each_field(v, [&](std::string_view k, od::value x) {
          PathGuard g(*this, k);
          if (k == "cpu") return read_cpu(x, cpu);
          if (k == "memory") return read_memory(x, mem);
          if (k == "startTime") return read_time(x, start);
          if (k == "network") return read_network(x, net);
          if (k == "fs") return read_fs(x, fs);
          return true;  // nodeName, systemContainers, runtime, rlimit, swap, io: not used
        }))
      return false;
    const DropReason r = check_point(cpu, mem, nullptr, DropReason::kNodeIncomplete);
    if (r != DropReason::kCount) {
      out->count_drop(r);
      return true;
    }
    NodeResult& node = out->node;
    node.present = true;
    node.point.timestamp_ns = cpu.time.ns;  // CPU time, not memory time, like metrics-server
    node.point.start_time_ns = start.present ? start.ns : 0;
    node.point.cpu_cumulative_ns = cpu.usage_core_ns.v;
    node.point.memory_working_set = mem.working_set.v;
    fill_memory(node.extended, mem);
    fill_network(node.extended, net);
    fill_fs(node.extended, fs);
    fill_uptime(node.extended, start, cpu.time.ns);
    return true;
  }

  bool read_container(od::value v, ContainerStats& c) {
    return for_each_field(v, [&](std::string_view k, od::value x) {
      PathGuard g(*this, k);
      if (k == "name") return read_string(x, c.name);
      if (k == "startTime") return read_time(x, c.start);
      if (k == "cpu") return read_cpu(x, c.cpu);
      if (k == "memory") return read_memory(x, c.memory);
      if (k == "rootfs") return read_fs(x, c.rootfs);
      return true;  // logs, accelerators, userDefinedMetrics, swap, io
    });
  }

  bool read_pod(od::value v) {
    std::string_view ns, name;
    NetStats net;
    pod_containers.clear();
    // Fields may come in any order, so containers are collected before the pod is registered.
    if (!for_each_field(v, [&](std::string_view k, od::value x) {
          PathGuard g(*this, k);
          if (k == "podRef") {
            return for_each_field(x, [&](std::string_view rk, od::value rx) {
              PathGuard gr(*this, rk);
              if (rk == "name") return read_string(rx, name);
              if (rk == "namespace") return read_string(rx, ns);
              return true;
            });
          }
          if (k == "containers") {
            return for_each_element(x, [&](int64_t i, od::value cv) {
              PathGuard gc(*this, {}, i);
              return read_container(cv, pod_containers.emplace_back());
            });
          }
          if (k == "network") return read_network(x, net);
          return true;  // startTime, cpu, memory (pod cgroup), volume, ephemeral-storage, ...
        }))
      return false;

    if (ns.empty() || name.empty()) {
      out->count_drop(DropReason::kMissingLabel);
      return true;
    }
    // A pod without containers has nothing to report; /metrics/resource would not list it either.
    if (pod_containers.empty()) return true;

    bool inserted = false;
    const uint32_t pi = builder.pod(ns, name, inserted);
    if (!inserted) {
      out->count_drop(DropReason::kDuplicateSeries);
      return true;
    }
    PodWork& pod = builder.pod_at(pi);
    fill_network(pod.extended, net);
    DropReason pod_drop = DropReason::kCount;
    for (const ContainerStats& cs : pod_containers) {
      if (cs.name.empty()) {
        pod_drop = DropReason::kMissingLabel;
        break;
      }
      const DropReason r = check_point(cs.cpu, cs.memory, &cs.start, DropReason::kContainerIncomplete);
      if (r != DropReason::kCount) {
        pod_drop = r;
        break;
      }
      const uint32_t ci = builder.container(pi, cs.name, inserted);
      if (!inserted) {
        out->count_drop(DropReason::kDuplicateSeries);
        continue;
      }
      ContainerWork& cw = builder.container_at(ci);
      cw.point.timestamp_ns = cs.cpu.time.ns;
      cw.point.start_time_ns = cs.start.ns;
      cw.point.cpu_cumulative_ns = cs.cpu.usage_core_ns.v;
      cw.point.memory_working_set = cs.memory.working_set.v;
      fill_memory(cw.extended, cs.memory);
      fill_fs(cw.extended, cs.rootfs);
      fill_uptime(cw.extended, cs.start, cs.cpu.time.ns);
    }
    if (pod_drop != DropReason::kCount) {
      builder.pod_at(pi).dropped = true;
      out->count_drop(pod_drop);
    }
    return true;
  }

  bool read_root(od::document& d) {
    od::json_type t{};
    if (auto e = d.type().get(t)) return fail_json(e);
    if (t != od::json_type::object) return fail_type("object");
    od::object root;
    if (auto e = d.get_object().get(root)) return fail_json(e);
    bool node_seen = false;
    for (auto field_result : root) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail_json(e);
      PathGuard g(*this, key);
      if (key == "node") {
        if (node_seen) {  // Go: the last duplicate key wins; keep it simple and take the first
          out->count_drop(DropReason::kDuplicateSeries);
          continue;
        }
        node_seen = true;
        if (!read_node(field.value())) return false;
      } else if (key == "pods") {
        if (!for_each_element(field.value(), [&](int64_t i, od::value pv) {
              PathGuard gp(*this, {}, i);
              return read_pod(pv);
            }))
          return false;
      }
    }
    if (!node_seen) out->count_drop(DropReason::kNodeIncomplete);
    // On Demand 3.0 has no document::at_end(): a valid location after the root means more tokens.
    const char* rest = nullptr;
    if (d.current_location().get(rest) == simdjson::SUCCESS && rest != nullptr) {
      const std::size_t off = static_cast<std::size_t>(rest - buffer.data());
      status = DecodeStatus::Error(DecodeCode::kMalformed,
                                   "summary: trailing content after the JSON document at byte " +
                                       std::to_string(off),
                                   0, off);
      return false;
    }
    return true;
  }
};

SummaryDecoder::SummaryDecoder() : impl_(std::make_unique<Impl>()) {}
SummaryDecoder::~SummaryDecoder() = default;

DecodeStatus SummaryDecoder::decode(std::string_view json, ScrapeResult& out) {
  Impl& d = *impl_;
  out.reset();
  d.builder.reset();
  d.out = &out;
  d.depth = 0;
  d.overflow = 0;
  d.status = DecodeStatus{};
  d.doc = nullptr;
  d.payload_size = json.size();

  // simdjson reads up to SIMDJSON_PADDING bytes past the end; the caller's buffer may not have them.
  if (d.buffer.size() < json.size() + simdjson::SIMDJSON_PADDING)
    d.buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
  if (!json.empty()) std::memcpy(d.buffer.data(), json.data(), json.size());
  std::memset(d.buffer.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);

  auto fail = [&]() {
    out.pods.clear();
    out.node = NodeResult{};
    d.builder.reset();
    d.doc = nullptr;
    return d.status;
  };

  od::document doc;
  const auto err = d.parser.iterate(d.buffer.data(), json.size(), d.buffer.size()).get(doc);
  if (err) {
    d.fail_json(err);
    // Stage 1 rejects bad UTF-8 without a position; find it so the message points at the byte.
    if (err == simdjson::UTF8_ERROR) {
      const std::size_t at = utf8_error_offset(json);
      if (at != std::string_view::npos) {
        d.status.offset = at;
        d.status.message = "summary: malformed JSON at byte " + std::to_string(at) + ": invalid UTF-8";
      }
    }
    return fail();
  }
  d.doc = &doc;
  if (!d.read_root(doc)) return fail();
  d.doc = nullptr;
  d.builder.emit(out);
  return DecodeStatus::Ok();
}

}  // namespace kmetrics::kubelet
