#include "api_handler.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "discovery.hpp"
#include "selectors.hpp"
#include "status.hpp"

namespace kmetrics::metrics_api {
namespace {

constexpr std::string_view kGroup = "metrics.k8s.io";
constexpr std::string_view kBase = "/apis/metrics.k8s.io/v1beta1";
constexpr const char* kTableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

enum class Format { kJson, kTable, kUnacceptable };

// JSON unless the client asks for a Table; refuse only when nothing acceptable is offered.
Format negotiate(std::string_view accept) {
  if (accept.empty()) {
    return Format::kJson;
  }
  bool json = false;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view part = accept.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const bool is_json = part.rfind("application/json", 0) == 0;
    if (is_json && part.find("as=Table") != std::string_view::npos && part.find("g=meta.k8s.io") != std::string_view::npos) {
      return Format::kTable;  // the first acceptable entry wins, as in apiserver negotiation
    }
    if ((is_json && part.find("as=") == std::string_view::npos) || part.rfind("*/*", 0) == 0 ||
        part.rfind("application/*", 0) == 0) {
      json = true;
      break;
    }
    start = end + 1;
  }
  return json ? Format::kJson : Format::kUnacceptable;
}

ApiResponse fromError(const StatusError& e) { return {e.code, "application/json", e.body, {}}; }

ApiResponse ok(std::string body, const char* type = "application/json") { return {200, type, std::move(body), {}}; }

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

struct ListOptions {
  std::optional<LabelSelector> labels;
  std::optional<FieldSelector> fields;
  bool watch = false;
};

std::optional<ApiResponse> parseListOptions(std::string_view query, bool pods, ListOptions& out) {
  out.labels = LabelSelector();
  for (const auto& [k, v] : parseQuery(query)) {
    std::string error;
    if (k == "labelSelector") {
      out.labels = LabelSelector::parse(v, &error);
      if (!out.labels) return fromError(badRequest(error));
    } else if (k == "fieldSelector") {
      std::vector<std::string> allowed = {"metadata.name"};
      if (pods) allowed.push_back("metadata.namespace");
      out.fields = FieldSelector::parse(v, allowed, &error);
      if (!out.fields) return fromError(badRequest(error));
    } else if (k == "watch") {
      out.watch = v == "true" || v == "1";
    }
  }
  return std::nullopt;
}

bool selected(const ListOptions& opts, const ObjectView& o) {
  if (opts.labels && !opts.labels->matches([&](std::string_view key) { return o.label(key); })) {
    return false;
  }
  if (opts.fields && !opts.fields->matches([&](std::string_view field) {
        return field == "metadata.name" ? o.name() : o.ns();
      })) {
    return false;
  }
  return true;
}

// A list response being written: the document, item by item, and the items' timestamps.
class ListResponse {
 public:
  ListResponse(std::string_view kind, Format format, int64_t now_ns)
      : format_(format),
        list_(kind, format == Format::kTable ? ListWriter::Form::kTable : ListWriter::Form::kList, now_ns) {}

  template <class Item>
  void add(const Item& item) {
    list_.add(item);
    timestamps_.push_back(item.timestamp_ns);
  }
  ApiResponse finish() {
    ApiResponse r = format_ == Format::kTable ? ok(list_.finish(), kTableContentType) : ok(list_.finish());
    r.item_timestamps_ns = std::move(timestamps_);
    return r;
  }

 private:
  Format format_;
  ListWriter list_;
  std::vector<int64_t> timestamps_;
};

// What differs between node and pod lists: their key (and so their order), the snapshot walk, the
// cluster view lookup and iteration, and the metrics of one object.
using ListKey = std::pair<std::string_view, std::string_view>;
ListKey listKey(const NodeItem& n) { return {{}, n.name}; }
ListKey listKey(const PodItem& p) { return {p.ns, p.name}; }

void forEachMetrics(DataSource& data, std::string_view, const std::function<bool(NodeItem&)>& fn) {
  data.forEachNodeMetrics(fn);
}
void forEachMetrics(DataSource& data, std::string_view ns, const std::function<bool(PodItem&)>& fn) {
  data.forEachPodMetrics(ns, fn);
}

bool findObject(DataSource& data, const NodeItem& item, const std::function<void(const ObjectView&)>& fn) {
  return data.findNode(item.name, fn);
}
bool findObject(DataSource& data, const PodItem& item, const std::function<void(const ObjectView&)>& fn) {
  return data.findPod(item.ns, item.name, fn);
}

template <class Item>
void forEachObject(DataSource& data, std::string_view ns, const std::function<bool(const ObjectView&)>& fn);
template <>
void forEachObject<NodeItem>(DataSource& data, std::string_view, const std::function<bool(const ObjectView&)>& fn) {
  data.forEachNode(fn);
}
template <>
void forEachObject<PodItem>(DataSource& data, std::string_view ns, const std::function<bool(const ObjectView&)>& fn) {
  data.forEachPod(ns, fn);
}

// The metrics of object `o`, with its name and labels; nullopt when it has none.
template <class Item>
std::optional<Item> metricsOf(DataSource& data, const ObjectView& o);
template <>
std::optional<NodeItem> metricsOf(DataSource& data, const ObjectView& o) {
  auto m = data.nodeMetrics(o.name());
  if (m) {
    m->name.assign(o.name());
    o.labels(m->labels);
  }
  return m;
}
template <>
std::optional<PodItem> metricsOf(DataSource& data, const ObjectView& o) {
  auto m = data.podMetrics(o.ns(), o.name());
  if (m) {
    m->ns.assign(o.ns());
    m->name.assign(o.name());
    o.labels(m->labels);
  }
  return m;
}

// A list gathered from cluster objects: those the selectors accept and that have metrics are kept,
// then sorted. For the few candidates of a label index query, and against a host whose lookups are
// scans (where looking every snapshot item up would be quadratic).
template <class Item>
class Collected {
 public:
  Collected(const ListOptions& opts, DataSource& data) : opts_(opts), data_(data) {}
  // As a visitor of DataSource's iterations.
  bool operator()(const ObjectView& o) {
    if (selected(opts_, o)) {
      if (auto m = metricsOf<Item>(data_, o)) items_.push_back(std::move(*m));
    }
    return true;
  }
  ApiResponse finish(std::string_view kind, Format format) {
    std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) { return listKey(a) < listKey(b); });
    ListResponse out(kind, format, data_.nowUnixNs());
    for (const auto& i : items_) out.add(i);
    return out.finish();
  }

 private:
  const ListOptions& opts_;
  DataSource& data_;
  std::vector<Item> items_;
};

// A list written while walking the snapshot's items, which come in list order: each is looked up in
// the cluster view (an item with metrics but no object is not served, as metrics-server's lister
// does), checked against the selectors and written at once. The per-item lookup callback captures two
// references only: it fits std::function's small buffer, so a 150,000-pod list allocates nothing per
// item. nullopt if the snapshot's items turn out not to be in order.
template <class Item>
class Walked {
 public:
  Walked(const ListOptions& opts, DataSource& data) : opts_(opts), data_(data) {}

  std::optional<ApiResponse> run(std::string_view kind, std::string_view ns, Format format) {
    ListResponse out(kind, format, data_.nowUnixNs());
    out_ = &out;
    bool ordered = true;
    forEachMetrics(data_, ns, [this, &ordered](Item& item) {
      if (!(ordered = follows(item))) return false;
      findObject(data_, item, [this, &item](const ObjectView& o) { visit(item, o); });
      return true;
    });
    if (!ordered) return std::nullopt;
    return out.finish();
  }

 private:
  // True when `item` sorts after the previous one.
  bool follows(const Item& item) {
    const ListKey key = listKey(item);
    if (!first_ && !(ListKey(last_.first, last_.second) < key)) return false;
    first_ = false;
    last_.first.assign(key.first);
    last_.second.assign(key.second);
    return true;
  }
  void visit(Item& item, const ObjectView& o) {
    if (selected(opts_, o)) {
      o.labels(item.labels);
      out_->add(item);
    }
  }

  const ListOptions& opts_;
  DataSource& data_;
  ListResponse* out_ = nullptr;
  bool first_ = true;
  std::pair<std::string, std::string> last_;
};

// Nodes, or the pods of `ns` ("" = all).
template <class Item>
ApiResponse list(std::string_view kind, std::string_view ns, const ListOptions& opts, Format format,
                 DataSource& data) {
  if (data.lookupsAreIndexed()) {
    if (auto r = Walked<Item>(opts, data).run(kind, ns, format)) return std::move(*r);
    // The snapshot broke its documented order: gather and sort instead.
  }
  Collected<Item> items(opts, data);
  forEachObject<Item>(data, ns, std::ref(items));
  return items.finish(kind, format);
}

ApiResponse listPods(std::string_view ns, const ListOptions& opts, Format format, DataSource& data) {
  // The HPA's query (`labelSelector=app=x` in one namespace): candidates from the cluster view's label
  // index, one query per value of the selector's index term, whatever the size of the namespace.
  if (auto term = opts.labels ? opts.labels->indexTerm() : std::nullopt) {
    Collected<PodItem> pods(opts, data);
    for (std::string_view value : term->values) data.forEachPodWithLabel(ns, term->key, value, std::ref(pods));
    return pods.finish("PodMetrics", format);
  }
  return list<PodItem>("PodMetrics", ns, opts, format, data);
}

// One object: `kind` JSON, or a one-row Table.
template <class Item>
ApiResponse serveOne(std::string_view kind, const Item& item, Format format, DataSource& data,
                     std::string (*encode)(const Item&, int64_t)) {
  const int64_t now = data.nowUnixNs();
  if (format == Format::kTable) {
    ListResponse out(kind, format, now);
    out.add(item);
    return out.finish();
  }
  ApiResponse r = ok(encode(item, now));
  r.item_timestamps_ns.push_back(item.timestamp_ns);
  return r;
}

ApiResponse getNode(std::string_view name, Format format, DataSource& data) {
  std::optional<NodeItem> item;
  const bool exists = data.findNode(name, [&](const ObjectView& o) { item = metricsOf<NodeItem>(data, o); });
  if (!exists) return fromError(notFound("", "node", name));
  if (!item) return fromError(notFound(kGroup, "nodemetrics", name));
  return serveOne("NodeMetrics", *item, format, data, encodeNode);
}

ApiResponse getPod(std::string_view ns, std::string_view name, Format format, DataSource& data) {
  std::optional<PodItem> item;
  const bool exists = data.findPod(ns, name, [&](const ObjectView& o) { item = metricsOf<PodItem>(data, o); });
  if (!exists) return fromError(notFound("", "pods", name));
  if (!item) return fromError(notFound(kGroup, "podmetrics", std::string(ns) + "/" + std::string(name)));
  return serveOne("PodMetrics", *item, format, data, encodePod);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query) {
  auto decode = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out.push_back(' ');
      } else if (s[i] == '%' && i + 2 < s.size()) {
        auto hex = [](char c) -> int {
          if (c >= '0' && c <= '9') return c - '0';
          if (c >= 'a' && c <= 'f') return c - 'a' + 10;
          if (c >= 'A' && c <= 'F') return c - 'A' + 10;
          return -1;
        };
        const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
        if (hi < 0 || lo < 0) {
          out.push_back('%');
          continue;
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
      } else {
        out.push_back(s[i]);
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view kv = query.substr(start, end - start);
    if (!kv.empty()) {
      const size_t eq = kv.find('=');
      out.emplace_back(decode(kv.substr(0, eq)), eq == std::string_view::npos ? "" : decode(kv.substr(eq + 1)));
    }
    start = end + 1;
  }
  return out;
}

ApiResponse handleRequest(const ApiRequest& request, DataSource& data) {
  const auto parts = splitPath(request.path);
  const bool is_get = request.method == "GET" || request.method == "HEAD";

  // Discovery and OpenAPI: fixed documents.
  if (parts.size() <= 3 && !parts.empty() && parts[0] == "apis") {
    if (!is_get) return fromError(methodNotAllowed("", ""));
    if (parts.size() == 1) return ok(apiGroupList());
    if (parts[1] != kGroup) return fromError(pathNotFound());
    if (parts.size() == 2) return ok(apiGroup());
    if (parts[2] == "v1beta1") return ok(apiResourceList());
    return fromError(pathNotFound());
  }
  if (!parts.empty() && parts[0] == "openapi") {
    const std::string_view path = request.path;
    if (path == "/openapi/v2") return ok(openApiV2());
    if (path == "/openapi/v3") return ok(openApiV3Index());
    if (path == "/openapi/v3/apis/metrics.k8s.io/v1beta1") return ok(openApiV3Group());
    return fromError(pathNotFound());
  }
  if (parts.size() < 4 || parts[0] != "apis" || parts[1] != kGroup || parts[2] != "v1beta1") {
    return fromError(pathNotFound());
  }

  // Resources: nodes[/name], pods, namespaces/NS/pods[/name].
  std::string_view ns, name, resource;
  if (parts[3] == "nodes" && parts.size() <= 5) {
    resource = "nodes";
    if (parts.size() == 5) name = parts[4];
  } else if (parts[3] == "pods" && parts.size() == 4) {
    resource = "pods";
  } else if (parts[3] == "namespaces" && parts.size() >= 6 && parts.size() <= 7 && parts[5] == "pods") {
    resource = "pods";
    ns = parts[4];
    if (parts.size() == 7) name = parts[6];
  } else {
    return fromError(pathNotFound());
  }
  const std::string_view kind = resource == "nodes" ? "nodes" : "pods";
  if (!is_get) return fromError(methodNotAllowed(kGroup, kind));

  ListOptions opts;
  if (auto err = parseListOptions(request.query, resource == "pods", opts)) return *err;
  if (opts.watch) return fromError(methodNotAllowed(kGroup, kind));

  const Format format = negotiate(request.accept);
  if (format == Format::kUnacceptable) return fromError(notAcceptable());

  if (resource == "nodes") {
    return name.empty() ? list<NodeItem>("NodeMetrics", "", opts, format, data) : getNode(name, format, data);
  }
  return name.empty() ? listPods(ns, opts, format, data) : getPod(ns, name, format, data);
}

}  // namespace kmetrics::metrics_api
