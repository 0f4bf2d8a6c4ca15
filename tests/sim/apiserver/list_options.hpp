// Internal: parsed list/watch options (selectors, output shape) and the per-object rendering that
// list, get and watch share.
#pragma once

#include <optional>
#include <string>

#include "apiserver/object_json.hpp"
#include "apiserver/selectors.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {

enum class OutputShape { kFull, kPartialMetadata, kTable };

struct ListOptions {
  std::string ns;  // "" = all namespaces (or cluster-scoped)
  LabelSelector labels;
  FieldSelector fields;
  OutputShape shape = OutputShape::kFull;
  std::string include_object = "Metadata";  // Table rows: None | Metadata | Object
};

// Parses selectors and the Accept header; on error answers 400 BadRequest and returns nullopt.
std::optional<ListOptions> parseListOptions(RequestCtx& ctx, const std::string& resource, const std::string& ns);

bool matches(const ListOptions& o, const Node& n);
bool matches(const ListOptions& o, const Pod& p);

// The object as it appears in a watch event or a get response, in the requested shape.
Json renderObject(const ListOptions& o, const Node& n, UnixNanos now);
Json renderObject(const ListOptions& o, const Pod& p, UnixNanos now);

// The Content-Type for a response in this shape.
std::string contentTypeFor(OutputShape shape, bool list);

UnixNanos apiNow();

}  // namespace kmetrics::sim
