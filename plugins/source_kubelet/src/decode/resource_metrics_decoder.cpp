#include "resource_metrics_decoder.hpp"

#include <cstring>
#include <string>

#include "number_parsing.hpp"
#include "utf8.hpp"

namespace kmetrics::kubelet {

namespace {

enum class Family : uint8_t {
  kOther,
  kNodeCpu,
  kNodeMemory,
  kContainerCpu,
  kContainerMemory,
  kContainerStartTime,
};

// Dispatch on length first: most unknown names are rejected without touching their bytes twice.
Family classify(std::string_view name) {
  auto is = [&](const char* lit) { return std::memcmp(name.data(), lit, name.size()) == 0; };
  switch (name.size()) {
    case 28:
      if (is("node_cpu_usage_seconds_total")) return Family::kNodeCpu;
      if (is("container_start_time_seconds")) return Family::kContainerStartTime;
      return Family::kOther;
    case 29:
      return is("node_memory_working_set_bytes") ? Family::kNodeMemory : Family::kOther;
    case 33:
      return is("container_cpu_usage_seconds_total") ? Family::kContainerCpu : Family::kOther;
    case 34:
      return is("container_memory_working_set_bytes") ? Family::kContainerMemory : Family::kOther;
    default:
      return Family::kOther;
  }
}

// a == b for short strings, without a library call.
inline bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  std::size_t n = a.size();
  for (; n >= 8; n -= 8, x += 8, y += 8) {
    uint64_t u, v;
    std::memcpy(&u, x, 8);
    std::memcpy(&v, y, 8);
    if (u != v) return false;
  }
  for (; n > 0; --n)
    if (*x++ != *y++) return false;
  return true;
}

// ContainerWork::seen bits.
constexpr uint32_t kSeenCpu = 1;
constexpr uint32_t kSeenMemory = 2;
constexpr uint32_t kSeenStart = 4;

DropReason drop_for(ConvertResult r) {
  switch (r) {
    case ConvertResult::kNonFinite: return DropReason::kNonFiniteValue;
    case ConvertResult::kNegative: return DropReason::kNegativeValue;
    default: return DropReason::kOutOfRange;
  }
}

}  // namespace

DecodeStatus ResourceMetricsDecoder::decode(std::string_view body, int64_t request_time_ns,
                                            ScrapeResult& out) {
  out.reset();
  builder_.reset();
  parser_.reset(body);

  Point node;
  bool node_cpu_seen = false;
  bool node_memory_seen = false;

  auto fail = [&](DecodeStatus st) {
    builder_.reset();
    out.pods.clear();
    out.node = NodeResult{};
    return st;
  };

  PromSample s;
  auto utf8_error = [&](std::string_view value) {
    return fail(DecodeStatus::Error(DecodeCode::kInvalidUtf8,
                                    "line " + std::to_string(s.line) +
                                        ": label value is not valid UTF-8 near \"" + make_excerpt(value) + "\"",
                                    s.line, s.line_offset));
  };

  Family last_family = Family::kOther;
  // Families list the same series in the same order, so the container of a line is usually the one
  // created right after the previous line's: checking that guess costs three short compares where a
  // lookup costs two hashes and probes. A wrong guess only falls back to the lookup.
  uint32_t predicted = 0;
  for (;;) {
    const auto r = parser_.next(s);
    if (r == PrometheusTextParser::Result::kEnd) break;
    if (r == PrometheusTextParser::Result::kError) return fail(parser_.error());

    // Lines of one family come together: reuse the previous line's classification.
    const Family family = s.same_name_as_previous ? last_family : classify(s.name);
    last_family = family;
    if (family == Family::kOther) continue;

    int64_t ts_ns = request_time_ns;
    if (s.has_timestamp) {
      if (s.timestamp_ms < 0) {
        out.count_drop(DropReason::kNegativeTimestamp);
        return fail(DecodeStatus::Error(
            DecodeCode::kNegativeTimestamp,
            "line " + std::to_string(s.line) + ": negative timestamp " + std::to_string(s.timestamp_ms) +
                " on " + std::string(s.name),
            s.line, s.line_offset));
      }
      if (!millis_to_ns(s.timestamp_ms, ts_ns)) {
        out.count_drop(DropReason::kOutOfRange);
        continue;
      }
    }

    if (family == Family::kNodeCpu || family == Family::kNodeMemory) {
      const bool cpu = family == Family::kNodeCpu;
      bool& seen = cpu ? node_cpu_seen : node_memory_seen;
      if (seen) {
        out.count_drop(DropReason::kDuplicateSeries);
        continue;
      }
      uint64_t v = 0;
      const auto cr = to_uint64_scaled(s.value, cpu ? 1e9 : 1.0, v);
      if (cr != ConvertResult::kOk) {
        out.count_drop(drop_for(cr));
        continue;
      }
      seen = true;
      (cpu ? node.cpu_cumulative_ns : node.memory_working_set) = v;
      node.timestamp_ns = ts_ns;  // like metrics-server: the last of the two lines sets the time
      continue;
    }

    // Container families: need non-empty container, pod and namespace labels, in any order.
    const PromLabel* labels[3] = {nullptr, nullptr, nullptr};  // container, pod, namespace
    for (std::size_t i = 0; i < s.label_count; ++i) {
      const std::string_view n = s.labels[i].name;
      int slot = -1;
      if (n.size() == 9) {
        if (same(n, "container")) slot = 0;
        else if (same(n, "namespace")) slot = 2;
      } else if (n.size() == 3 && same(n, "pod")) {
        slot = 1;
      }
      if (slot >= 0 && labels[slot] == nullptr) labels[slot] = &s.labels[i];
    }
    std::string_view values[3];
    int present = 0;  // values[0, present) are usable; a missing one stops the scan, as before
    while (present < 3 && labels[present] != nullptr && !labels[present]->raw_value.empty()) {
      const PromLabel* l = labels[present];
      values[present++] = l->escaped ? builder_.intern_unescaped(l->raw_value) : l->raw_value;
    }
    if (present < 3) {
      // The values before the missing one are still checked first (an invalid one fails the payload).
      for (int i = 0; i < present; ++i)
        if (!is_valid_utf8(values[i])) return utf8_error(values[i]);
      out.count_drop(DropReason::kMissingLabel);
      continue;
    }

    // Only a series that creates a container needs its names checked for UTF-8: a container that is
    // found has exactly these bytes as names, and those passed the check when it was created (a
    // failed check resets the builder). Checked in the same order as the labels above.
    uint32_t ci = kNoIndex;
    if (predicted < builder_.container_count()) {
      const ContainerWork& g = builder_.container_at(predicted);
      const PodWork& gp = builder_.pod_at(g.pod);
      if (same(g.name, values[0]) && same(gp.name, values[1]) && same(gp.ns, values[2])) ci = predicted;
    }
    if (ci == kNoIndex) {
      bool inserted = false;
      const uint32_t pod = builder_.pod(values[2], values[1], inserted);
      ci = builder_.container(pod, values[0], inserted);
      if (inserted) {
        for (const std::string_view v : values)
          if (!is_valid_utf8(v)) return utf8_error(v);
      }
    }
    predicted = ci + 1;
    ContainerWork& c = builder_.container_at(ci);

    const uint32_t bit = family == Family::kContainerCpu      ? kSeenCpu
                         : family == Family::kContainerMemory ? kSeenMemory
                                                              : kSeenStart;
    if (c.seen & bit) {
      out.count_drop(DropReason::kDuplicateSeries);
      continue;
    }
    if (family == Family::kContainerStartTime) {
      int64_t start = 0;
      const auto cr = seconds_to_int64_ns(s.value, start);
      if (cr != ConvertResult::kOk) {
        out.count_drop(drop_for(cr));
        continue;
      }
      c.point.start_time_ns = start;  // the sample timestamp is not used for start time
    } else {
      const bool cpu = family == Family::kContainerCpu;
      uint64_t v = 0;
      const auto cr = to_uint64_scaled(s.value, cpu ? 1e9 : 1.0, v);
      if (cr != ConvertResult::kOk) {
        out.count_drop(drop_for(cr));
        continue;
      }
      (cpu ? c.point.cpu_cumulative_ns : c.point.memory_working_set) = v;
      c.point.timestamp_ns = ts_ns;
    }
    c.seen |= bit;
  }

  // Node: complete only with a non-zero timestamp, CPU and memory.
  if (node.timestamp_ns != 0 && node.cpu_cumulative_ns != 0 && node.memory_working_set != 0) {
    out.node.present = true;
    out.node.point = node;
  } else {
    out.count_drop(DropReason::kNodeIncomplete);
  }

  // Pods: one incomplete container drops the pod (the HPA must not see a partial pod).
  for (uint32_t p = 0; p < builder_.pod_count(); ++p) {
    PodWork& pw = builder_.pod_at(p);
    for (uint32_t c = pw.first; c != kNoIndex; c = builder_.container_at(c).next) {
      const Point& pt = builder_.container_at(c).point;
      if (pt.cpu_cumulative_ns == 0 || pt.memory_working_set == 0) {
        pw.dropped = true;
        out.count_drop(DropReason::kContainerIncomplete);
        break;
      }
    }
  }
  builder_.emit(out);
  return DecodeStatus::Ok();
}

}  // namespace kmetrics::kubelet
