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

// One object of `kind`, or a list `<kind>List` of items, each body written by `body`.
template <class Item, class BodyFn>
std::string encodeObject(std::string_view kind, const Item& item, int64_t now_ns, BodyFn body) {
  std::string out;
  JsonWriter w(out);
  w.raw(R"({"kind":")").raw(kind).raw(R"(","apiVersion":")").raw(kApiVersion).raw("\",");
  body(w, item, rfc3339Seconds(now_ns));
  w.raw("}");
  return out;
}

template <class Item, class BodyFn>
std::string encodeList(std::string_view kind, const std::vector<Item>& items, int64_t now_ns, BodyFn body) {
  std::string out;
  out.reserve(96 + items.size() * 320);
  JsonWriter w(out);
  const std::string created = rfc3339Seconds(now_ns);
  w.raw(R"({"kind":")").raw(kind).raw(R"(List","apiVersion":")").raw(kApiVersion).raw(R"(","metadata":{},"items":[)");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.raw(",");
    w.raw("{");
    body(w, items[i], created);
    w.raw("}");
  }
  w.raw("]}");
  return out;
}

// A Table whose rows come from `row(w, item, created)`.
template <class Item, class RowFn>
std::string encodeTable(const std::vector<Item>& items, int64_t now_ns, RowFn row) {
  std::string out;
  JsonWriter w(out);
  const std::string created = rfc3339Seconds(now_ns);
  writeTableHead(w);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.raw(",");
    row(w, items[i], created);
  }
  w.raw("]}");
  return out;
}

void writeNodeRow(JsonWriter& w, const NodeItem& n, const std::string& created) {
  writeRow(w, n.name, "", n.labels, n.usage, n.window_ns, created);
}

void writePodRow(JsonWriter& w, const PodItem& p, const std::string& created) {
  writeRow(w, p.name, p.ns, p.labels, podTotal(p), p.window_ns, created);
}

}  // namespace

std::string encodeNode(const NodeItem& n, int64_t now_ns) { return encodeObject("NodeMetrics", n, now_ns, writeNodeBody); }

std::string encodeNodeList(const std::vector<NodeItem>& items, int64_t now_ns) {
  return encodeList("NodeMetrics", items, now_ns, writeNodeBody);
}

std::string encodePod(const PodItem& p, int64_t now_ns) { return encodeObject("PodMetrics", p, now_ns, writePodBody); }

std::string encodePodList(const std::vector<PodItem>& items, int64_t now_ns) {
  return encodeList("PodMetrics", items, now_ns, writePodBody);
}

std::string encodeNodeTable(const std::vector<NodeItem>& items, int64_t now_ns) {
  return encodeTable(items, now_ns, writeNodeRow);
}

std::string encodePodTable(const std::vector<PodItem>& items, int64_t now_ns) {
  return encodeTable(items, now_ns, writePodRow);
}

}  // namespace kmetrics::metrics_api
