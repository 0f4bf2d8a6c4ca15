#include "apiserver/list_options.hpp"

#include <chrono>

#include "apiserver/http_util.hpp"

namespace kmetrics::sim {
namespace {

const std::set<std::string> kNodeFields = {"metadata.name", "metadata.namespace", "spec.unschedulable"};
const std::set<std::string> kPodFields = {"metadata.name", "metadata.namespace", "spec.nodeName", "status.phase",
                                          "spec.restartPolicy"};
const std::set<std::string> kGenericFields = {"metadata.name", "metadata.namespace"};

template <typename T>
Json tableFor(const ListOptions& o, const T& obj, UnixNanos now, Json columns, Json cells, Json full) {
  Json row{{"cells", std::move(cells)}};
  if (o.include_object == "Object") row["object"] = std::move(full);
  else if (o.include_object != "None") row["object"] = partialObjectMetadata(metadataJson(obj));
  (void)now;
  return Json{{"kind", "Table"},
              {"apiVersion", "meta.k8s.io/v1"},
              {"metadata", {{"resourceVersion", std::to_string(obj.resource_version)}}},
              {"columnDefinitions", std::move(columns)},
              {"rows", Json::array({std::move(row)})}};
}

}  // namespace

UnixNanos apiNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<ListOptions> parseListOptions(RequestCtx& ctx, const std::string& resource, const std::string& ns) {
  ListOptions o;
  o.ns = ns;
  std::string error;
  auto q = [&](const char* k) {
    auto it = ctx.query.find(k);
    return it == ctx.query.end() ? std::string() : it->second;
  };
  auto labels = LabelSelector::parse(q("labelSelector"), &error);
  if (!labels) {
    sendStatus(ctx.resp, 400, "BadRequest", error);
    return std::nullopt;
  }
  o.labels = std::move(*labels);
  const auto& supported = resource == "nodes" ? kNodeFields : resource == "pods" ? kPodFields : kGenericFields;
  auto fields = FieldSelector::parse(q("fieldSelector"), supported, &error);
  if (!fields) {
    sendStatus(ctx.resp, 400, "BadRequest", error);
    return std::nullopt;
  }
  o.fields = std::move(*fields);
  // Protobuf may be listed first; we always answer JSON, which every client-go accepts.
  if (acceptAs(ctx.accept, "Table")) o.shape = OutputShape::kTable;
  else if (acceptAs(ctx.accept, "PartialObjectMetadataList") || acceptAs(ctx.accept, "PartialObjectMetadata"))
    o.shape = OutputShape::kPartialMetadata;
  if (!q("includeObject").empty()) o.include_object = q("includeObject");
  return o;
}

bool matches(const ListOptions& o, const Node& n) {
  return o.labels.matches(n.labels) && o.fields.matches([&](const std::string& f) { return nodeField(n, f); });
}

bool matches(const ListOptions& o, const Pod& p) {
  if (!o.ns.empty() && p.ns != o.ns) return false;
  return o.labels.matches(p.labels) && o.fields.matches([&](const std::string& f) { return podField(p, f); });
}

Json renderObject(const ListOptions& o, const Node& n, UnixNanos now) {
  switch (o.shape) {
    case OutputShape::kPartialMetadata: return partialObjectMetadata(metadataJson(n));
    case OutputShape::kTable: return tableFor(o, n, now, nodeTableColumns(), nodeTableCells(n, now), nodeJson(n));
    case OutputShape::kFull: break;
  }
  return nodeJson(n);
}

Json renderObject(const ListOptions& o, const Pod& p, UnixNanos now) {
  switch (o.shape) {
    case OutputShape::kPartialMetadata: return partialObjectMetadata(metadataJson(p));
    case OutputShape::kTable: return tableFor(o, p, now, podTableColumns(), podTableCells(p, now), podJson(p));
    case OutputShape::kFull: break;
  }
  return podJson(p);
}

std::string contentTypeFor(OutputShape shape, bool list) {
  switch (shape) {
    case OutputShape::kTable: return "application/json;as=Table;v=v1;g=meta.k8s.io";
    case OutputShape::kPartialMetadata:
      return list ? "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"
                  : "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
    case OutputShape::kFull: break;
  }
  return "application/json";
}

}  // namespace kmetrics::sim
