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

// `limit` and `continue` of a list request. Continue tokens are kube-apiserver's: base64url (no
// padding) of {"v":"meta.k8s.io/v1","rv":<version of the first page>,"start":"<next key>"}.
struct Paging {
  size_t limit = 0;           // 0: everything
  uint64_t resource_version = 0;  // from the token: the version every page is read at (0: now)
  std::string start;          // from the token: the first key of this page
};
// On a malformed limit or token, or a token combined with a resourceVersion, answers 400
// BadRequest and returns nullopt.
std::optional<Paging> parsePaging(RequestCtx& ctx);
// The token that continues a list read at `resource_version` after key `last_key`.
std::string encodeContinue(uint64_t resource_version, const std::string& last_key);

bool matches(const ListOptions& o, const Node& n);
bool matches(const ListOptions& o, const Pod& p);

// The object as it appears in a watch event or a get response, in the requested shape.
Json renderObject(const ListOptions& o, const Node& n, UnixNanos now);
Json renderObject(const ListOptions& o, const Pod& p, UnixNanos now);

// The Content-Type for a response in this shape.
std::string contentTypeFor(OutputShape shape, bool list);

UnixNanos apiNow();

}  // namespace kmetrics::sim
