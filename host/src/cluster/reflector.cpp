#include "cluster/reflector.hpp"

#include <malloc.h>
#include <simdjson.h>

#include <algorithm>
#include <random>

#include "cluster/backoff.hpp"
#include "cluster/object_decode.hpp"

namespace kmetrics::cluster {

struct Reflector::Buffers {
  simdjson::dom::parser parser;  // its DOM holds the current page or event
  std::string body;              // the current list page
  std::string line;              // the current watch event
};

namespace {

using simdjson::dom::element;

// The member `key` of `o`, when present and not null.
bool member(const simdjson::dom::object& o, std::string_view key, element& out) {
  return o.at_key(key).get(out) == simdjson::SUCCESS && !out.is_null();
}

// A string member ("" when absent or null); std::runtime_error when it has another type.
std::string string_member(const simdjson::dom::object& o, std::string_view key, const std::string& where) {
  element e;
  std::string_view v;
  if (!member(o, key, e)) return {};
  if (e.get_string().get(v)) throw std::runtime_error(where + ": " + std::string(key) + " is not a string");
  return std::string(v);
}

}  // namespace

Reflector::Reflector(ApiClient& api, std::string path, std::string field_selector, ReflectorHandler& handler,
                     ReflectorOptions options, ReflectorStats& stats)
    : api_(api),
      path_(std::move(path)),
      field_selector_(std::move(field_selector)),
      handler_(handler),
      options_(options),
      stats_(stats),
      buffers_(std::make_unique<Buffers>()) {}

Reflector::~Reflector() = default;

void Reflector::stop() {
  {
    std::lock_guard lock(mu_);
    stop_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
  interrupter_.interrupt();
}

std::string Reflector::last_error() const {
  std::lock_guard lock(error_mu_);
  return last_error_;
}

void Reflector::set_error(const std::string& e) {
  std::lock_guard lock(error_mu_);
  last_error_ = e;
}

void Reflector::sleep_backoff(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stop_.load(std::memory_order_acquire); });
}

std::string Reflector::list() {
  handler_.list_begin();
  try {
    std::string cont, rv;
    for (int page = 0; page < 1000000; ++page) {  // bounded; 500 per page covers any real cluster
      std::string q = path_ + "?limit=" + std::to_string(options_.list_page_size);
      if (!field_selector_.empty()) q += "&fieldSelector=" + url_encode(field_selector_);
      if (!cont.empty()) q += "&continue=" + url_encode(cont);
      element j = api_.get(q, buffers_->parser, buffers_->body, &interrupter_);
      simdjson::dom::object list;
      if (j.get_object().get(list)) throw std::runtime_error(path_ + ": the list is not a JSON object");
      element items_value;
      simdjson::dom::array items;
      if (member(list, "items", items_value) && items_value.get_array().get(items) == simdjson::SUCCESS) {
        for (element item : items) {
          try {
            handler_.list_item(item);
          } catch (const std::exception&) {
            stats_.bad_objects.fetch_add(1, std::memory_order_relaxed);
          }
        }
      }
      element md_value;
      simdjson::dom::object md;
      if (member(list, "metadata", md_value)) {
        if (md_value.get_object().get(md)) throw std::runtime_error(path_ + ": the list's metadata is not an object");
        rv = string_member(md, "resourceVersion", path_ + ": metadata");
        cont = string_member(md, "continue", path_ + ": metadata");
      } else {
        rv.clear();
        cont.clear();
      }
      release_large_buffers();
      if (cont.empty()) break;
    }
    // Pages are done until the next relist (rare): watch events are small, so the buffers the pages
    // grew (a few MiB per reflector at 500 objects per page) go before list_end, whose trim returns
    // them to the OS.
    std::string().swap(buffers_->body);
    buffers_->parser = simdjson::dom::parser();
    handler_.list_end();
    stats_.lists.fetch_add(1, std::memory_order_relaxed);
    return rv;
  } catch (...) {
    handler_.list_abort();
    release_large_buffers();
    // The half-built state the handler just dropped was freed into malloc's arenas, which keep it.
    malloc_trim(0);
    throw;
  }
}

void Reflector::release_large_buffers() {
  Buffers& b = *buffers_;
  bool dropped = false;
  if (b.body.capacity() >= options_.large_page_bytes) {
    std::string().swap(b.body);
    dropped = true;
  }
  if (b.parser.capacity() >= options_.large_page_bytes) {
    b.parser = simdjson::dom::parser();
    dropped = true;
  }
  // glibc raises its mmap threshold after freeing a big mapping, so later big blocks come from an
  // arena, which keeps them once freed: give them back to the OS.
  if (dropped) malloc_trim(0);
}

void Reflector::watch(std::string& rv) {
  // Like client-go: timeoutSeconds uniform in [T, 2T), so many replicas do not re-watch in lockstep.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto t = options_.watch_timeout.count();
  auto timeout_s = std::uniform_int_distribution<long long>(t, std::max<long long>(t, 2 * t - 1))(rng);
  std::string q = path_ + "?watch=1&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(timeout_s) +
                  "&resourceVersion=" + url_encode(rv);
  if (!field_selector_.empty()) q += "&fieldSelector=" + url_encode(field_selector_);
  auto idle = std::chrono::milliseconds(timeout_s * 1000) + options_.watch_idle_slack;
  auto stream = api_.watch(q, idle, &interrupter_);
  stats_.watches.fetch_add(1, std::memory_order_relaxed);
  std::string& line = buffers_->line;
  // Bounded: every read waits at most `idle`, and the server ends the stream after timeoutSeconds.
  while (!stopping() && stream->read_line(line, options_.max_event_bytes)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: with the room in the buffer (kept
    // from line to line) it parses in place instead of copying every event.
    if (line.capacity() - line.size() < simdjson::SIMDJSON_PADDING) line.reserve(line.size() + simdjson::SIMDJSON_PADDING);
    element ev;
    simdjson::dom::object event;
    if (buffers_->parser.parse(line).get(ev) || ev.get_object().get(event)) {
      throw std::runtime_error(stream->what() + ": invalid watch event");
    }
    std::string type = string_member(event, "type", stream->what() + ": watch event");
    element obj;
    const bool has_object = member(event, "object", obj);
    if (type == "ERROR") {
      int64_t code = 0;
      std::string reason, message;
      if (simdjson::dom::object status; has_object && obj.get_object().get(status) == simdjson::SUCCESS) {
        if (element c; member(status, "code", c) && c.get_int64().get(code)) code = 0;
        reason = string_member(status, "reason", stream->what() + ": watch error");
        message = string_member(status, "message", stream->what() + ": watch error");
      }
      if (code == 410) throw Gone{};
      throw ApiError(static_cast<int>(code), reason,
                     stream->what() + ": watch error " + std::to_string(code) + ": " + message);
    }
    std::string new_rv = has_object ? std::string(resource_version_of(obj)) : std::string();
    if (type == "BOOKMARK") {
      if (!new_rv.empty()) rv = new_rv;
      continue;
    }
    WatchEventType t;
    if (type == "ADDED") {
      t = WatchEventType::added;
    } else if (type == "MODIFIED") {
      t = WatchEventType::modified;
    } else if (type == "DELETED") {
      t = WatchEventType::deleted;
    } else {
      continue;  // unknown event types are ignored, as client-go does
    }
    try {
      if (!has_object) throw std::runtime_error("watch event without an object");
      handler_.event(t, obj);
      stats_.events.fetch_add(1, std::memory_order_relaxed);
    } catch (const std::exception&) {
      stats_.bad_objects.fetch_add(1, std::memory_order_relaxed);
    }
    if (!new_rv.empty()) rv = new_rv;
  }
}

void Reflector::run() {
  Backoff backoff(options_.backoff_initial, options_.backoff_max);
  std::string rv;
  bool need_list = true;
  int consecutive_gone = 0;
  while (!stopping()) {  // each pass blocks on bounded I/O or an interruptible sleep
    try {
      if (need_list) {
        rv = list();
        need_list = false;
      }
      auto started = std::chrono::steady_clock::now();
      auto events_before = stats_.events.load(std::memory_order_relaxed);
      watch(rv);
      if (stopping()) break;
      stats_.watch_restarts.fetch_add(1, std::memory_order_relaxed);
      set_error({});
      // A server that closes streams at once must not turn this into a busy loop.
      bool productive = std::chrono::steady_clock::now() - started > std::chrono::seconds(1) ||
                        stats_.events.load(std::memory_order_relaxed) != events_before;
      if (productive) {
        backoff.reset();
        consecutive_gone = 0;
      } else {
        sleep_backoff(backoff.next());
      }
    } catch (const Gone&) {
      need_list = true;
      stats_.relists.fetch_add(1, std::memory_order_relaxed);
      stats_.watch_restarts.fetch_add(1, std::memory_order_relaxed);
      set_error("resource version too old (410 Gone): relisting");
      // Relist at once, as client-go does, unless relisting keeps ending in 410.
      if (++consecutive_gone > 1) sleep_backoff(backoff.next());
    } catch (const ApiError& e) {
      if (stopping()) break;
      stats_.errors.fetch_add(1, std::memory_order_relaxed);
      set_error(e.what());
      if (e.status() == 410) {
        need_list = true;
        stats_.relists.fetch_add(1, std::memory_order_relaxed);
      }
      if (!need_list) stats_.watch_restarts.fetch_add(1, std::memory_order_relaxed);
      sleep_backoff(backoff.next());
    } catch (const http::HttpError& e) {
      if (stopping() || e.kind() == http::ErrorKind::cancelled) break;
      stats_.errors.fetch_add(1, std::memory_order_relaxed);
      set_error(e.what());
      if (!need_list) stats_.watch_restarts.fetch_add(1, std::memory_order_relaxed);
      sleep_backoff(backoff.next());
    } catch (const std::exception& e) {
      if (stopping()) break;
      stats_.errors.fetch_add(1, std::memory_order_relaxed);
      set_error(e.what());
      if (!need_list) stats_.watch_restarts.fetch_add(1, std::memory_order_relaxed);
      sleep_backoff(backoff.next());
    }
  }
}

}  // namespace kmetrics::cluster
