// List + watch of one resource (client-go's Reflector, reduced): paged list (limit/continue), then
// watch from the list's resourceVersion with allowWatchBookmarks and a server-side timeoutSeconds,
// re-watching from the last seen resourceVersion when the server ends the stream. 410 Gone (HTTP or
// an ERROR event with code 410) means the resourceVersion is too old: relist. Other errors: retry
// after an exponential, jittered, bounded backoff (the watch resumes from the last resourceVersion;
// a failed list restarts from scratch).
//
// Pages and watch events are parsed with simdjson into a DOM that the reflector reuses (one parser
// and one body buffer per reflector, so a paged list allocates nothing per page once warm); the
// handler decodes each object straight from it into what it keeps. A page of at least
// ReflectorOptions::large_page_bytes (from a server that ignores `limit`) does not keep its buffers:
// they are dropped after it and malloc_trim(0) hands the memory back to the OS, as after a failed
// list. A completed list drops the page buffers whatever their size (watch events are small); then
// ClusterView trims once the replaced objects are gone.
//
// The handler receives decoded-object callbacks on the reflector's thread; it must not block on I/O.
// Thread-safety: run() on one thread; stop() from any thread, interrupts the current request
// (socket shutdown) and the backoff sleep promptly.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "cluster/api_client.hpp"
#include "http/interrupter.hpp"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace kmetrics::cluster {

enum class WatchEventType { added, modified, deleted };

// `object`: one item of a list page or the object of a watch event, a value of the reflector's
// parsed DOM, valid only during the call (decode what you keep, e.g. with object_decode.hpp).
class ReflectorHandler {
 public:
  virtual ~ReflectorHandler() = default;
  virtual void list_begin() = 0;
  virtual void list_item(const simdjson::dom::element& object) = 0;  // may throw: the object is skipped, counted
  virtual void list_end() = 0;                                       // the list is complete: replace the state
  virtual void list_abort() = 0;                                     // the list failed half-way: drop it
  virtual void event(WatchEventType type, const simdjson::dom::element& object) = 0;  // may throw: skipped
};

struct ReflectorOptions {
  int list_page_size = 500;
  std::chrono::seconds watch_timeout = std::chrono::seconds(300);  // timeoutSeconds: uniform in [T, 2T)
  std::chrono::milliseconds watch_idle_slack = std::chrono::seconds(30);  // read timeout beyond that
  std::chrono::milliseconds backoff_initial = std::chrono::milliseconds(500);
  std::chrono::milliseconds backoff_max = std::chrono::seconds(30);
  size_t max_event_bytes = 16u << 20;
  // A page at least this big (a server that ignores `limit`) does not keep its buffers afterwards.
  size_t large_page_bytes = 8u << 20;
};

// Plain atomics; the app exports them as self-metrics.
struct ReflectorStats {
  std::atomic<uint64_t> lists{0};           // completed lists (the first one included)
  std::atomic<uint64_t> relists{0};         // lists caused by 410 Gone
  std::atomic<uint64_t> watches{0};         // watch streams opened
  std::atomic<uint64_t> watch_restarts{0};  // watch streams re-opened (server timeout, error, drop)
  std::atomic<uint64_t> errors{0};          // failed requests and broken streams
  std::atomic<uint64_t> events{0};          // ADDED/MODIFIED/DELETED applied
  std::atomic<uint64_t> bad_objects{0};     // objects the handler could not decode
};

class Reflector {
 public:
  // `path`: collection path, e.g. "/api/v1/pods". `field_selector` may be empty.
  Reflector(ApiClient& api, std::string path, std::string field_selector, ReflectorHandler& handler,
            ReflectorOptions options, ReflectorStats& stats);
  ~Reflector();

  void run();   // returns after stop()
  void stop();  // idempotent
  bool stopping() const { return stop_.load(std::memory_order_acquire); }
  // The last error message, for logs and health ("" when the last attempt succeeded).
  std::string last_error() const;

 private:
  struct Gone {};
  struct Buffers;                     // the simdjson parser, the page body and the watch line
  std::string list();                 // returns the list's resourceVersion
  void watch(std::string& resource_version);  // returns when the server ends the stream
  void release_large_buffers();       // drops the buffers a large page grew; malloc_trim(0) then
  void sleep_backoff(std::chrono::milliseconds d);
  void set_error(const std::string& e);

  ApiClient& api_;
  const std::string path_;
  const std::string field_selector_;
  ReflectorHandler& handler_;
  const ReflectorOptions options_;
  ReflectorStats& stats_;
  std::unique_ptr<Buffers> buffers_;  // used by run()'s thread only
  http::Interrupter interrupter_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  mutable std::mutex error_mu_;
  std::string last_error_;
};

}  // namespace kmetrics::cluster
