// Watch streams: newline-delimited {"type":..,"object":..} events over chunked encoding, replayed from
// the store's history after `resourceVersion`. Like the real watch cache, a too-old version gets an
// ERROR event carrying a 410 Expired Status on a 200 response (or, on request, an HTTP 410).
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <chrono>
#include <ostream>

#include "apiserver/http_util.hpp"
#include "apiserver/list_options.hpp"
#include "apiserver/server_core.hpp"

namespace kmetrics::sim {
namespace {

using Clock = std::chrono::steady_clock;

struct WatchCounter {
  explicit WatchCounter(std::atomic<int>& c) : c_(c) { ++c_; }
  ~WatchCounter() { --c_; }
  std::atomic<int>& c_;
};

std::string q(const RequestCtx& ctx, const char* k) {
  auto it = ctx.query.find(k);
  return it == ctx.query.end() ? std::string() : it->second;
}

// A watch client never sends anything after its request: readable means closed (EOF or reset).
bool clientGone(RequestCtx& ctx) {
  try {
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(ctx.req);
    return impl.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR);
  } catch (...) {
    return true;
  }
}

Json withVersion(Json obj, uint64_t rv) {
  if (obj.contains("metadata")) obj["metadata"]["resourceVersion"] = std::to_string(rv);
  return obj;
}

Json bookmark(const std::string& resource, const ListOptions& o, uint64_t rv, bool initial_end) {
  Json md{{"resourceVersion", std::to_string(rv)}, {"creationTimestamp", nullptr}};
  if (initial_end) md["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  std::string kind = resource == "nodes" ? "Node" : resource == "pods" ? "Pod" : "ConfigMap";
  std::string api = "v1";
  if (o.shape == OutputShape::kPartialMetadata) {
    kind = "PartialObjectMetadata";
    api = "meta.k8s.io/v1";
  }
  return Json{{"type", "BOOKMARK"}, {"object", {{"kind", kind}, {"apiVersion", api}, {"metadata", md}}}};
}

Json expiredEvent(const std::string& message) {
  return Json{{"type", "ERROR"}, {"object", statusJson(410, "Expired", message)}};
}

class EventWriter {
 public:
  explicit EventWriter(std::ostream& out) : out_(out) {}
  bool write(const Json& ev) {
    out_ << ev.dump() << '\n';
    out_.flush();
    return static_cast<bool>(out_);
  }

 private:
  std::ostream& out_;
};

}  // namespace

void handleWatch(ServerCore& core, RequestCtx& ctx, const std::string& resource, const std::string& ns) {
  WatchCounter counter(core.open_watches);
  auto o = parseListOptions(ctx, resource, ns);
  if (!o) return;
  const std::string rv_text = q(ctx, "resourceVersion");
  const bool from_now = rv_text.empty() || rv_text == "0";
  const bool send_initial = from_now || q(ctx, "sendInitialEvents") == "true";
  const bool bookmarks = q(ctx, "allowWatchBookmarks") == "true" || q(ctx, "allowWatchBookmarks") == "1";
  int timeout_s = core.config.max_watch_seconds;
  if (!q(ctx, "timeoutSeconds").empty()) {
    try {
      timeout_s = std::clamp(std::stoi(q(ctx, "timeoutSeconds")), 1, core.config.max_watch_seconds);
    } catch (...) {
      sendStatus(ctx.resp, 400, "BadRequest", "invalid timeoutSeconds");
      return;
    }
  }
  uint64_t since = 0;
  if (!from_now) {
    try {
      since = std::stoull(rv_text);
    } catch (...) {
      sendStatus(ctx.resp, 400, "BadRequest", "invalid resourceVersion \"" + rv_text + "\"");
      return;
    }
  }

  // Expiry: one-shot control from /sim/watch/expire, or a version older than the retained history.
  bool expired = false, http_410 = false;
  uint64_t generation = 0;
  {
    std::lock_guard lock(core.mu);
    generation = core.watch_generation;
    auto it = core.expire_pending.find(resource);
    if (!from_now && it != core.expire_pending.end()) {
      expired = true;
      http_410 = it->second;
      core.expire_pending.erase(it);
    }
  }
  const uint64_t oldest = core.store.oldestWatchable();
  if (!from_now && since < oldest) expired = true;
  const std::string expired_msg =
      "too old resource version: " + std::to_string(since) + " (" + std::to_string(std::max(oldest, since + 1)) + ")";
  if (expired && http_410) {
    sendStatus(ctx.resp, 410, "Expired", expired_msg);
    return;
  }

  ctx.resp.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  ctx.resp.setContentType("application/json");
  ctx.resp.setChunkedTransferEncoding(true);
  ctx.resp.set("Cache-Control", "no-cache, private");
  std::ostream& out = ctx.resp.send();
  EventWriter w(out);
  if (expired) {
    w.write(expiredEvent(expired_msg));
    return;
  }

  const UnixNanos start_wall = apiNow();
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  auto view = core.store.view();
  if (from_now) since = view.resource_version;
  if (send_initial) {
    if (resource == "nodes") {
      for (const auto& n : view.nodes)
        if (matches(*o, *n) && !w.write(Json{{"type", "ADDED"}, {"object", renderObject(*o, *n, start_wall)}})) return;
    } else if (resource == "pods") {
      for (const auto& p : view.pods)
        if (matches(*o, *p) && !w.write(Json{{"type", "ADDED"}, {"object", renderObject(*o, *p, start_wall)}})) return;
    }
    // The ConfigMap never changes: a fresh watch gets it once, later ones only bookmarks.
    if (resource == "configmaps" && (ns.empty() || ns == "kube-system")) {
      Json cm = authConfigMapJson(core);
      const bool cm_match = o->fields.matches([](const std::string& f) {
        return f == "metadata.name" ? std::string("extension-apiserver-authentication")
               : f == "metadata.namespace" ? std::string("kube-system") : std::string();
      });
      if (cm_match && !w.write(Json{{"type", "ADDED"}, {"object", cm}})) return;
    }
    if (q(ctx, "sendInitialEvents") == "true" && bookmarks && !w.write(bookmark(resource, *o, since, true))) return;
  }

  auto last_bookmark = Clock::now();
  for (int spins = 0; spins < 10'000'000; ++spins) {  // bounded by the deadline long before this
    if (core.stopping || Clock::now() >= deadline) return;
    {
      std::lock_guard lock(core.mu);
      if (core.watch_generation != generation) return;  // closed by control API
    }
    if (resource == "nodes" || resource == "pods") {
      std::vector<StoredEvent> events;
      uint64_t current = since;
      if (!core.store.eventsSince(since, &events, &current)) {
        w.write(expiredEvent("too old resource version: " + std::to_string(since) + " (" +
                             std::to_string(core.store.oldestWatchable()) + ")"));
        return;
      }
      const UnixNanos now = apiNow();
      for (const auto& e : events) {
        since = e.resource_version;
        const bool is_node = e.kind == ChangeEvent::Kind::kNode;
        if (is_node != (resource == "nodes")) continue;
        bool cur_match = false, prev_match = false;
        Json obj;
        if (is_node) {
          cur_match = e.node && matches(*o, *e.node);
          prev_match = e.prev_node && matches(*o, *e.prev_node);
          if (e.node) obj = renderObject(*o, *e.node, now);
        } else {
          cur_match = e.pod && matches(*o, *e.pod);
          prev_match = e.prev_pod && matches(*o, *e.prev_pod);
          if (e.pod) obj = renderObject(*o, *e.pod, now);
        }
        std::string type;
        switch (e.type) {
          case ChangeEvent::Type::kAdded: type = cur_match ? "ADDED" : ""; break;
          case ChangeEvent::Type::kDeleted: type = cur_match ? "DELETED" : ""; break;
          case ChangeEvent::Type::kModified:
            // A filtered watch sees objects enter and leave its selection as ADDED/DELETED.
            type = cur_match && prev_match ? "MODIFIED" : cur_match ? "ADDED" : prev_match ? "DELETED" : "";
            break;
        }
        if (type.empty()) continue;
        if (!w.write(Json{{"type", type}, {"object", withVersion(std::move(obj), e.resource_version)}})) return;
      }
      since = std::max(since, current);
    } else {
      since = std::max(since, core.store.resourceVersion());
    }
    if (bookmarks && Clock::now() - last_bookmark >= std::chrono::milliseconds(core.config.bookmark_interval_ms)) {
      if (!w.write(bookmark(resource, *o, since, false))) return;
      last_bookmark = Clock::now();
    }
    if (clientGone(ctx)) return;
    core.store.waitForChange(since, std::chrono::milliseconds(500));
  }
}

}  // namespace kmetrics::sim
