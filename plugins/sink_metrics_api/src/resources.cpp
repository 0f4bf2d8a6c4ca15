#include "resources.hpp"

#include <chrono>

#include <kmetrics/sdk/duration.hpp>

#include "json_writer.hpp"
#include "quantity.hpp"
#include "time_format.hpp"

namespace kmetrics::metrics_api {
namespace {

constexpr std::string_view kApiVersion = "metrics.k8s.io/v1beta1";

std::string window(int64_t ns) { return sdk::formatDuration(std::chrono::nanoseconds(ns)); }

void writeMetadata(JsonWriter& w, std::string_view name, std::string_view ns, const Labels& labels,
                   const std::string& created) {
  w.key("metadata").raw("{").key("name").string(name);
  if (!ns.empty()) {
    w.raw(",").key("namespace").string(ns);
  }
  w.raw(",").key("creationTimestamp").string(created);
  if (!labels.empty()) {
    w.raw(",").key("labels").raw("{");
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) w.raw(",");
      w.key(labels[i].first).string(labels[i].second);
    }
    w.raw("}");
  }
  w.raw("}");
}

void writeUsage(JsonWriter& w, const Usage& u) {
  w.key("usage").raw("{").key("cpu").string(cpuQuantity(u.cpu_nanocores)).raw(",").key("memory").string(
      memoryQuantity(u.memory_bytes)).raw("}");
}

void writeNodeBody(JsonWriter& w, const NodeItem& n, const std::string& created) {
  writeMetadata(w, n.name, "", n.labels, created);
  w.raw(",").key("timestamp").string(rfc3339Seconds(n.timestamp_ns));
  w.raw(",").key("window").string(window(n.window_ns)).raw(",");
  writeUsage(w, n.usage);
}

void writePodBody(JsonWriter& w, const PodItem& p, const std::string& created) {
  writeMetadata(w, p.name, p.ns, p.labels, created);
  w.raw(",").key("timestamp").string(rfc3339Seconds(p.timestamp_ns));
  w.raw(",").key("window").string(window(p.window_ns));
  w.raw(",").key("containers").raw("[");
  for (size_t i = 0; i < p.containers.size(); ++i) {
    if (i > 0) w.raw(",");
    w.raw("{").key("name").string(p.containers[i].name).raw(",");
    writeUsage(w, p.containers[i].usage);
    w.raw("}");
  }
  w.raw("]");
}

Usage podTotal(const PodItem& p) {
  Usage total;
  for (const auto& c : p.containers) {
    total.cpu_nanocores += c.usage.cpu_nanocores;
    total.memory_bytes += c.usage.memory_bytes;
  }
  return total;
}

// Table columns as metrics-server's table.go declares them.
void writeTableHead(JsonWriter& w) {
  w.raw(R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":""},"columnDefinitions":[)"
        R"({"name":"Name","type":"string","format":"name","description":"Name of the resource","priority":0},)"
        R"({"name":"cpu","type":"string","format":"quantity","description":"","priority":0},)"
        R"({"name":"memory","type":"string","format":"quantity","description":"","priority":0},)"
        R"({"name":"Window","type":"string","format":"duration","description":"","priority":0}],"rows":[)");
}

void writeRow(JsonWriter& w, std::string_view name, std::string_view ns, const Labels& labels, const Usage& u,
              int64_t window_ns, const std::string& created) {
  w.raw(R"({"cells":[)").string(name).raw(",").string(cpuQuantity(u.cpu_nanocores)).raw(",");
  w.string(memoryQuantity(u.memory_bytes)).raw(",").string(window(window_ns)).raw("],");
  w.key("object").raw(R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",)");
  writeMetadata(w, name, ns, labels, created);
  w.raw("}}");
}

}  // namespace

std::string encodeNode(const NodeItem& n, int64_t now_ns) {
  std::string out;
  JsonWriter w(out);
  w.raw(R"({"kind":"NodeMetrics","apiVersion":")").raw(kApiVersion).raw("\",");
  writeNodeBody(w, n, rfc3339Seconds(now_ns));
  w.raw("}");
  return out;
}

std::string encodeNodeList(const std::vector<NodeItem>& items, int64_t now_ns) {
  std::string out;
  out.reserve(96 + items.size() * 320);
  JsonWriter w(out);
  const std::string created = rfc3339Seconds(now_ns);
  w.raw(R"({"kind":"NodeMetricsList","apiVersion":")").raw(kApiVersion).raw(R"(","metadata":{},"items":[)");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.raw(",");
    w.raw("{");
    writeNodeBody(w, items[i], created);
    w.raw("}");
  }
  w.raw("]}");
  return out;
}

std::string encodePod(const PodItem& p, int64_t now_ns) {
  std::string out;
  JsonWriter w(out);
  w.raw(R"({"kind":"PodMetrics","apiVersion":")").raw(kApiVersion).raw("\",");
  writePodBody(w, p, rfc3339Seconds(now_ns));
  w.raw("}");
  return out;
}

std::string encodePodList(const std::vector<PodItem>& items, int64_t now_ns) {
  std::string out;
  out.reserve(96 + items.size() * 300);
  JsonWriter w(out);
  const std::string created = rfc3339Seconds(now_ns);
  w.raw(R"({"kind":"PodMetricsList","apiVersion":")").raw(kApiVersion).raw(R"(","metadata":{},"items":[)");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.raw(",");
    w.raw("{");
    writePodBody(w, items[i], created);
    w.raw("}");
  }
  w.raw("]}");
  return out;
}

std::string encodeNodeTable(const std::vector<NodeItem>& items, int64_t now_ns) {
  std::string out;
  JsonWriter w(out);
  const std::string created = rfc3339Seconds(now_ns);
  writeTableHead(w);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.raw(",");
    writeRow(w, items[i].name, "", items[i].labels, items[i].usage, items[i].window_ns, created);
  }
  w.raw("]}");
  return out;
}

std::string encodePodTable(const std::vector<PodItem>& items, int64_t now_ns) {
  std::string out;
  JsonWriter w(out);
  const std::string created = rfc3339Seconds(now_ns);
  writeTableHead(w);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.raw(",");
    writeRow(w, items[i].name, items[i].ns, items[i].labels, podTotal(items[i]), items[i].window_ns, created);
  }
  w.raw("]}");
  return out;
}

}  // namespace kmetrics::metrics_api
