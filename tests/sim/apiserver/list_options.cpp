#include "apiserver/list_options.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <chrono>
#include <sstream>

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

namespace {

constexpr int kBase64Url = Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING;  // Go's base64.RawURLEncoding

// The token's fields, or an error message ("" on success) worded like apimachinery's DecodeContinue.
std::string decodeContinue(const std::string& token, Paging& out) {
  std::string raw;
  try {
    std::istringstream in(token);
    Poco::Base64Decoder decoder(in, kBase64Url);
    raw.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    return "illegal base64 data";
  }
  Json j = Json::parse(raw, nullptr, false);
  if (!j.is_object()) return "invalid character in continue token";
  if (j.value("v", Json()) != "meta.k8s.io/v1") return "got invalid continue key version";
  const Json& rv = j.value("rv", Json());
  if (!rv.is_number_integer() || rv.get<int64_t>() <= 0) return "incorrect encoded start resourceVersion (version meta.k8s.io/v1)";
  const Json& start = j.value("start", Json());
  if (!start.is_string() || start.get<std::string>().empty()) return "encoded start key empty (version meta.k8s.io/v1)";
  out.resource_version = rv.get<uint64_t>();
  out.start = start.get<std::string>();
  return "";
}

}  // namespace

std::string encodeContinue(uint64_t resource_version, const std::string& last_key) {
  // "\0" after the key: the smallest key greater than it, where the next page starts.
  Json j{{"v", "meta.k8s.io/v1"}, {"rv", resource_version}, {"start", last_key + std::string(1, '\0')}};
  std::ostringstream out;
  {
    Poco::Base64Encoder encoder(out, kBase64Url);
    encoder.rdbuf()->setLineLength(0);
    encoder << j.dump();
    encoder.close();
  }
  return out.str();
}

std::optional<Paging> parsePaging(RequestCtx& ctx) {
  Paging p;
  auto q = [&](const char* k) {
    auto it = ctx.query.find(k);
    return it == ctx.query.end() ? std::string() : it->second;
  };
  if (const std::string limit = q("limit"); !limit.empty()) {
    size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(limit, &used);
    } catch (const std::exception&) {
    }
    if (used != limit.size() || v < 0) {
      sendStatus(ctx.resp, 400, "BadRequest", "invalid limit \"" + limit + "\"");
      return std::nullopt;
    }
    p.limit = static_cast<size_t>(v);
  }
  if (const std::string token = q("continue"); !token.empty()) {
    const std::string rv = q("resourceVersion");
    if (!rv.empty() && rv != "0") {
      sendStatus(ctx.resp, 400, "BadRequest", "specifying resource version is not allowed when using continue");
      return std::nullopt;
    }
    if (std::string error = decodeContinue(token, p); !error.empty()) {
      sendStatus(ctx.resp, 400, "BadRequest", "continue key is not valid: " + error);
      return std::nullopt;
    }
  }
  return p;
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
