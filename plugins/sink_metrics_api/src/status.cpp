#include "status.hpp"

#include "json_writer.hpp"

namespace kmetrics::metrics_api {
namespace {

struct Details {
  std::string_view name, group, kind;
};

StatusError make(int code, std::string_view reason, std::string_view message, const Details* d) {
  StatusError e{code, {}};
  JsonWriter w(e.body);
  w.raw(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":)")
      .string(message)
      .raw(",")
      .key("reason")
      .string(reason);
  if (d != nullptr) {
    w.raw(",").key("details").raw("{");
    bool first = true;
    auto field = [&](std::string_view k, std::string_view v) {
      if (v.empty()) return;
      if (!first) w.raw(",");
      first = false;
      w.key(k).string(v);
    };
    field("name", d->name);
    field("group", d->group);
    field("kind", d->kind);
    w.raw("}");
  }
  w.raw(",").key("code").number(code).raw("}");
  return e;
}

}  // namespace

StatusError notFound(std::string_view group, std::string_view kind, std::string_view name) {
  std::string resource(kind);
  if (!group.empty()) {
    resource += ".";
    resource += group;
  }
  const Details d{name, group, kind};
  return make(404, "NotFound", resource + " \"" + std::string(name) + "\" not found", &d);
}

StatusError badRequest(std::string_view message) { return make(400, "BadRequest", message, nullptr); }

StatusError methodNotAllowed(std::string_view group, std::string_view kind) {
  const Details d{"", group, kind};
  return make(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", &d);
}

StatusError notAcceptable() {
  return make(406, "NotAcceptable",
              "the server was unable to respond with a content type that the client supports", nullptr);
}

StatusError internalError(std::string_view message) {
  return make(500, "InternalError", "Internal error occurred: " + std::string(message), nullptr);
}

StatusError pathNotFound() { return make(404, "NotFound", "the server could not find the requested resource", nullptr); }

}  // namespace kmetrics::metrics_api
