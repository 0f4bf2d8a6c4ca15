#include "resources.hpp"

#include <chrono>

#include <kmetrics/sdk/duration.hpp>

#include "json_writer.hpp"
#include "quantity.hpp"
#include "time_format.hpp"

namespace kmetrics::metrics_api {
namespace {

constexpr std::string_view kApiVersion = "metrics.k8s.io/v1beta1";

// The texts one document repeats: creationTimestamp (the request time), and each item's timestamp
// and window through caches. Timestamps, windows and quantities never need JSON escaping.
class ItemFormats {
 public:
  explicit ItemFormats(int64_t now_ns) : created_(rfc3339Seconds(now_ns)) {}
  std::string_view created() const { return created_; }
  std::string_view timestamp(int64_t unix_ns) { return timestamps_.get(unixSeconds(unix_ns), rfc3339FromSeconds); }
  std::string_view window(int64_t ns) {
    return windows_.get(ns, [](int64_t w) { return sdk::formatDuration(std::chrono::nanoseconds(w)); });
  }

 private:
  std::string created_;
  TextCache<16> timestamps_, windows_;
};

JsonWriter& quoted(JsonWriter& w, std::string_view plain) { return w.raw("\"").raw(plain).raw("\""); }

void writeMetadata(JsonWriter& w, std::string_view name, std::string_view ns, const Labels& labels,
                   std::string_view created) {
  w.raw(R"("metadata":{"name":)").string(name);
  if (!ns.empty()) {
    w.raw(R"(,"namespace":)").string(ns);
  }
  quoted(w.raw(R"(,"creationTimestamp":)"), created);
  if (!labels.empty()) {
    w.raw(R"(,"labels":{)");
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) w.raw(",");
      w.key(labels[i].first).string(labels[i].second);
    }
    w.raw("}");
  }
  w.raw("}");
}

void writeUsage(JsonWriter& w, const Usage& u) {
  quoted(w.raw(R"("usage":{"cpu":)"), cpuQuantityText(u.cpu_nanocores).view());
  quoted(w.raw(R"(,"memory":)"), memoryQuantityText(u.memory_bytes).view()).raw("}");
}

// ,"timestamp":"...","window":"..."
void writeTimes(JsonWriter& w, int64_t timestamp_ns, int64_t window_ns, ItemFormats& f) {
  quoted(w.raw(R"(,"timestamp":)"), f.timestamp(timestamp_ns));
  quoted(w.raw(R"(,"window":)"), f.window(window_ns));
}

void writeBody(JsonWriter& w, const NodeItem& n, ItemFormats& f) {
  writeMetadata(w, n.name, "", n.labels, f.created());
  writeTimes(w, n.timestamp_ns, n.window_ns, f);
  w.raw(",");
  writeUsage(w, n.usage);
}

void writeBody(JsonWriter& w, const PodItem& p, ItemFormats& f) {
  writeMetadata(w, p.name, p.ns, p.labels, f.created());
  writeTimes(w, p.timestamp_ns, p.window_ns, f);
  w.raw(R"(,"containers":[)");
  for (size_t i = 0; i < p.containers.size(); ++i) {
    if (i > 0) w.raw(",");
    w.raw(R"({"name":)").string(p.containers[i].name).raw(",");
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
              int64_t window_ns, ItemFormats& f) {
  w.raw(R"({"cells":[)").string(name).raw(",");
  quoted(w, cpuQuantityText(u.cpu_nanocores).view()).raw(",");
  quoted(w, memoryQuantityText(u.memory_bytes).view()).raw(",");
  quoted(w, f.window(window_ns)).raw("],");
  w.raw(R"("object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",)");
  writeMetadata(w, name, ns, labels, f.created());
  w.raw("}}");
}

void writeRow(JsonWriter& w, const NodeItem& n, ItemFormats& f) {
  writeRow(w, n.name, "", n.labels, n.usage, n.window_ns, f);
}

void writeRow(JsonWriter& w, const PodItem& p, ItemFormats& f) {
  writeRow(w, p.name, p.ns, p.labels, podTotal(p), p.window_ns, f);
}

// One object of `kind`.
template <class Item>
std::string encodeObject(std::string_view kind, const Item& item, int64_t now_ns) {
  std::string out;
  JsonWriter w(out);
  ItemFormats f(now_ns);
  w.raw(R"({"kind":")").raw(kind).raw(R"(","apiVersion":")").raw(kApiVersion).raw("\",");
  writeBody(w, item, f);
  w.raw("}");
  return out;
}

}  // namespace

struct ListWriter::State {
  State(Form f, int64_t now_ns) : form(f), formats(now_ns) {}
  std::string out;
  JsonWriter w{out};
  Form form;
  ItemFormats formats;
  size_t count = 0;

  template <class Item>
  void add(const Item& item) {
    if (count++ > 0) w.raw(",");
    if (form == Form::kTable) {
      writeRow(w, item, formats);
      return;
    }
    w.raw("{");
    writeBody(w, item, formats);
    w.raw("}");
  }
};

ListWriter::ListWriter(std::string_view kind, Form form, int64_t now_ns) : s_(std::make_unique<State>(form, now_ns)) {
  if (form == Form::kTable) {
    writeTableHead(s_->w);
  } else {
    s_->w.raw(R"({"kind":")").raw(kind).raw(R"(List","apiVersion":")").raw(kApiVersion).raw(
        R"(","metadata":{},"items":[)");
  }
}

ListWriter::~ListWriter() = default;

void ListWriter::add(const NodeItem& item) { s_->add(item); }

void ListWriter::add(const PodItem& item) { s_->add(item); }

std::string ListWriter::finish() {
  s_->w.raw("]}");
  return std::move(s_->out);
}

std::string encodeNode(const NodeItem& n, int64_t now_ns) { return encodeObject("NodeMetrics", n, now_ns); }

std::string encodePod(const PodItem& p, int64_t now_ns) { return encodeObject("PodMetrics", p, now_ns); }

}  // namespace kmetrics::metrics_api
