/*
 * kmetrics plugin ABI: the only contract between the kmetrics host and a plugin library.
 *
 * Pure C so that nothing C++ (std:: types, exceptions, RTTI, allocators of one side freed by the
 * other) crosses a shared-library edge. Plugin authors normally use the header-only C++ wrapper in
 * <kmetrics/sdk/...> and never touch this file directly.
 *
 * Versioning
 *   - The entry symbol carries the major version: a library exports kmetrics_plugin_entry_v1.
 *     A host with another major does not find it and reports both versions.
 *   - Every struct starts with `struct_size` (set to sizeof by whoever fills it). Structs only ever
 *     grow at the end; a reader uses a field only if struct_size covers it. Minor versions add
 *     fields and optional (nullable) function pointers; the host accepts plugin minor <= host minor.
 *
 * Conventions stated on every entity below:
 *   OWNERSHIP  who allocates and who frees.
 *   LIFETIME   how long a pointer stays valid.
 *   THREADING  which threads may call, and whether calls may overlap.
 *
 * Strings are UTF-8 `kmetrics_str` (pointer + length, not NUL-terminated unless stated).
 * Times are int64 nanoseconds: `_unix_ns` since the Unix epoch, `_mono_ns` on a monotonic clock.
 */
#ifndef KMETRICS_ABI_H_
#define KMETRICS_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KMETRICS_ABI_VERSION_MAJOR 1
#define KMETRICS_ABI_VERSION_MINOR 1

/* The exported entry symbol of every plugin library, for ABI major 1. Following Boost.DLL's alias
 * convention (BOOST_DLL_ALIAS, used by the SDK's KMETRICS_PLUGIN macro), it is a data symbol of
 * type `const void*` holding the address of a kmetrics_plugin_entry_fn. A plain C plugin writes:
 *   __attribute__((visibility("default"))) const void* kmetrics_plugin_entry_v1 = (const void*)&entry;
 */
#define KMETRICS_PLUGIN_ENTRY_SYMBOL "kmetrics_plugin_entry_v1"

/* ------------------------------------------------------------------------------------------ */
/* Basic types                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* A borrowed UTF-8 string view.
 * OWNERSHIP: the side that passes it. LIFETIME: the duration of the call it is passed to. */
typedef struct kmetrics_str {
  const char* ptr;
  size_t len;
} kmetrics_str;

/* Result of every fallible hook and host call. Details go to a kmetrics_diag. */
typedef enum kmetrics_status {
  KMETRICS_OK = 0,
  KMETRICS_ERR_INVALID_ARGUMENT = 1, /* bad config or request: not retried */
  KMETRICS_ERR_UNAVAILABLE = 2,      /* transient (peer down, not ready): retried next tick */
  KMETRICS_ERR_DEADLINE = 3,         /* the deadline passed */
  KMETRICS_ERR_NOT_FOUND = 4,
  KMETRICS_ERR_UNIMPLEMENTED = 5,
  KMETRICS_ERR_INTERNAL = 6 /* a bug or an exception caught at the boundary */
} kmetrics_status;

/* A sink for error messages, filled by the callee, owned by the caller.
 * `report` may be called any number of times; `path` locates the problem (a config path such as
 * "sources[0].config.port", a node name, or empty). Both strings are borrowed for the call only:
 * the caller copies them.
 * THREADING: only on the thread that received the diag, only during the call it was passed to. */
typedef struct kmetrics_diag {
  size_t struct_size;
  void* user;
  void (*report)(void* user, kmetrics_str path, kmetrics_str message);
} kmetrics_diag;

typedef struct kmetrics_label {
  kmetrics_str key;
  kmetrics_str value;
} kmetrics_label;

/* ------------------------------------------------------------------------------------------ */
/* Samples (what sources emit and push sinks receive)                                          */
/* ------------------------------------------------------------------------------------------ */

/* One observation of cumulative CPU and current memory. A zero field means "not reported". */
typedef struct kmetrics_point {
  int64_t timestamp_unix_ns;    /* when the kubelet took the sample */
  int64_t start_time_unix_ns;   /* container start; 0 for nodes or unknown */
  uint64_t cpu_cumulative_ns;   /* cumulative CPU time, core-nanoseconds */
  uint64_t memory_working_set;  /* bytes */
} kmetrics_point;

/* Bits of kmetrics_extended.present. */
enum {
  KMETRICS_EXT_NETWORK_RX_BYTES = 1u << 0,
  KMETRICS_EXT_NETWORK_RX_ERRORS = 1u << 1,
  KMETRICS_EXT_NETWORK_TX_BYTES = 1u << 2,
  KMETRICS_EXT_NETWORK_TX_ERRORS = 1u << 3,
  KMETRICS_EXT_FILESYSTEM_USAGE = 1u << 4,
  KMETRICS_EXT_FILESYSTEM_LIMIT = 1u << 5,
  KMETRICS_EXT_FILESYSTEM_AVAILABLE = 1u << 6,
  KMETRICS_EXT_MEMORY_RSS = 1u << 7,
  KMETRICS_EXT_MEMORY_USAGE = 1u << 8,
  KMETRICS_EXT_PAGE_FAULTS = 1u << 9,
  KMETRICS_EXT_MAJOR_PAGE_FAULTS = 1u << 10,
  KMETRICS_EXT_UPTIME_SECONDS = 1u << 11
};

/* Optional extended series (for the heapster-compatible sink). Counters are cumulative. */
typedef struct kmetrics_extended {
  size_t struct_size;
  uint32_t present; /* KMETRICS_EXT_* bits: a value is meaningful only when its bit is set */
  uint64_t network_rx_bytes, network_rx_errors, network_tx_bytes, network_tx_errors;
  uint64_t filesystem_usage, filesystem_limit, filesystem_available;
  uint64_t memory_rss, memory_usage;
  uint64_t page_faults, major_page_faults;
  uint64_t uptime_seconds;
} kmetrics_extended;

typedef struct kmetrics_node_sample {
  size_t struct_size;
  kmetrics_str node;
  kmetrics_point point;
  const kmetrics_extended* extended; /* may be NULL */
} kmetrics_node_sample;

/* Pod-level series (network lives at pod level). `point` is normally zero: pod CPU and memory
 * are the sum of their containers. */
typedef struct kmetrics_pod_sample {
  size_t struct_size;
  kmetrics_str pod_namespace;
  kmetrics_str pod;
  kmetrics_str node;
  const kmetrics_extended* extended; /* may be NULL */
} kmetrics_pod_sample;

typedef struct kmetrics_container_sample {
  size_t struct_size;
  kmetrics_str pod_namespace;
  kmetrics_str pod;
  kmetrics_str container;
  kmetrics_str node;
  kmetrics_point point;
  const kmetrics_extended* extended; /* may be NULL */
} kmetrics_container_sample;

/* What a source scrape emits into. Host-owned.
 * OWNERSHIP: host. LIFETIME: the scrape call it is passed to; every sample is copied by the host
 * before `emit_*` returns. THREADING: only the thread running the scrape call. */
typedef struct kmetrics_emitter {
  size_t struct_size;
  void* host_ctx;
  void (*emit_node)(void* host_ctx, const kmetrics_node_sample* sample);
  void (*emit_pod)(void* host_ctx, const kmetrics_pod_sample* sample);
  void (*emit_container)(void* host_ctx, const kmetrics_container_sample* sample);
  /* Counts a sample the source dropped, by reason (e.g. "container_incomplete"). */
  void (*count_drop)(void* host_ctx, kmetrics_str reason, uint64_t count);
} kmetrics_emitter;

/* A batch delivered to a push sink: one tick's merged samples.
 * OWNERSHIP: host. LIFETIME: the consume call only; copy what you keep. */
typedef struct kmetrics_batch {
  size_t struct_size;
  int64_t collected_unix_ns;
  const kmetrics_node_sample* nodes;
  size_t node_count;
  const kmetrics_pod_sample* pods;
  size_t pod_count;
  const kmetrics_container_sample* containers;
  size_t container_count;
} kmetrics_batch;

/* ------------------------------------------------------------------------------------------ */
/* Cluster view (host service)                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct kmetrics_node_address {
  kmetrics_str type; /* "InternalIP", "Hostname", ... */
  kmetrics_str address;
} kmetrics_node_address;

/* A node as the host's cluster view knows it.
 * OWNERSHIP: host. LIFETIME: the call that passed it; copy what you keep. */
typedef struct kmetrics_node_info {
  size_t struct_size;
  kmetrics_str name;
  const kmetrics_label* labels;
  size_t label_count;
  const kmetrics_label* annotations;
  size_t annotation_count;
  const kmetrics_node_address* addresses;
  size_t address_count;
  int32_t kubelet_port; /* status.daemonEndpoints.kubeletEndpoint.Port, 0 if unknown */
  int32_t ready;        /* 1 Ready=True, 0 otherwise */
} kmetrics_node_info;

typedef struct kmetrics_container_resources {
  kmetrics_str name;
  uint64_t cpu_request_millicores, cpu_limit_millicores;
  uint64_t memory_request_bytes, memory_limit_bytes;
} kmetrics_container_resources;

typedef struct kmetrics_pod_info {
  size_t struct_size;
  kmetrics_str pod_namespace;
  kmetrics_str name;
  kmetrics_str node;
  const kmetrics_label* labels;
  size_t label_count;
  const kmetrics_container_resources* containers; /* may be empty (metadata-only view) */
  size_t container_count;
  int64_t creation_unix_ns;
} kmetrics_pod_info;

/* ------------------------------------------------------------------------------------------ */
/* Scraping                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Bits of kmetrics_scrape_request.want. */
enum {
  KMETRICS_WANT_CORE = 1u << 0,    /* CPU and memory (always set) */
  KMETRICS_WANT_EXTENDED = 1u << 1 /* some sink consumes extended series */
};

/* One scrape call. For a per-node source `node` is set; for a cluster-scoped source it is NULL.
 * OWNERSHIP: host. LIFETIME: the scrape call. */
typedef struct kmetrics_scrape_request {
  size_t struct_size;
  const kmetrics_node_info* node;
  int64_t deadline_mono_ns; /* give up and return KMETRICS_ERR_DEADLINE after this */
  int64_t now_unix_ns;      /* tick start; default sample time when a payload has none */
  uint32_t want;            /* KMETRICS_WANT_* */
} kmetrics_scrape_request;

/* ------------------------------------------------------------------------------------------ */
/* Query side: snapshot reads (host service)                                                   */
/* ------------------------------------------------------------------------------------------ */

/* Usage computed from two points, as metrics-server serves it. */
typedef struct kmetrics_usage {
  uint64_t cpu_nanocores;
  uint64_t memory_bytes;
  int64_t timestamp_unix_ns;
  int64_t window_ns;
} kmetrics_usage;

typedef struct kmetrics_container_usage {
  kmetrics_str name;
  uint64_t cpu_nanocores;
  uint64_t memory_bytes;
} kmetrics_container_usage;

typedef struct kmetrics_pod_usage {
  size_t struct_size;
  kmetrics_str pod_namespace;
  kmetrics_str name;
  int64_t timestamp_unix_ns;
  int64_t window_ns;
  const kmetrics_container_usage* containers; /* sorted by name */
  size_t container_count;
} kmetrics_pod_usage;

/* An immutable snapshot of computed metrics. Opaque; obtained with snapshot_acquire and given back
 * with snapshot_release. Reading never blocks the scraper.
 * THREADING: a snapshot may be read from any number of threads at once. */
typedef struct kmetrics_snapshot kmetrics_snapshot;

typedef int (*kmetrics_node_usage_fn)(void* user, kmetrics_str node, const kmetrics_usage* usage);
typedef int (*kmetrics_pod_usage_fn)(void* user, const kmetrics_pod_usage* pod);

/* One (timestamp, value) pair of a history series. */
typedef struct kmetrics_history_point {
  int64_t timestamp_unix_ns;
  double value;
} kmetrics_history_point;

/* ------------------------------------------------------------------------------------------ */
/* HTTP: outgoing client and incoming routes (host services)                                   */
/* ------------------------------------------------------------------------------------------ */

typedef struct kmetrics_header {
  kmetrics_str name;
  kmetrics_str value;
} kmetrics_header;

/* Which TLS and credential settings the host applies to an outgoing request. */
typedef enum kmetrics_http_profile {
  KMETRICS_HTTP_PROFILE_KUBELET = 0,   /* --kubelet-* TLS and token settings */
  KMETRICS_HTTP_PROFILE_APISERVER = 1, /* kubeconfig / in-cluster settings */
  KMETRICS_HTTP_PROFILE_PLAIN = 2      /* no credentials; TLS verified with system CAs */
} kmetrics_http_profile;

typedef struct kmetrics_http_request {
  size_t struct_size;
  kmetrics_str method;
  kmetrics_str url; /* absolute: https://10.0.0.1:10250/metrics/resource */
  const kmetrics_header* headers;
  size_t header_count;
  kmetrics_str body;
  int64_t deadline_mono_ns;
  kmetrics_http_profile profile;
} kmetrics_http_request;

/* The response, valid only during on_response.
 * OWNERSHIP: host. LIFETIME: the on_response callback. */
typedef struct kmetrics_http_response {
  size_t struct_size;
  int32_t status; /* HTTP status */
  const kmetrics_header* headers;
  size_t header_count;
  kmetrics_str body;
} kmetrics_http_response;

/* An incoming request on a host listener, as the host authenticated it.
 * OWNERSHIP: host. LIFETIME: the handler call. */
typedef struct kmetrics_route_request {
  size_t struct_size;
  kmetrics_str method;
  kmetrics_str path;  /* decoded path without query */
  kmetrics_str query; /* raw query string without '?' */
  const kmetrics_header* headers;
  size_t header_count;
  kmetrics_str user;  /* authenticated user name; empty when anonymous */
  const kmetrics_str* groups;
  size_t group_count;
} kmetrics_route_request;

/* Where a route handler writes its answer. Host-owned; valid during the handler call.
 * Call set_status/add_header before the first write_body. */
typedef struct kmetrics_route_response {
  size_t struct_size;
  void* host_ctx;
  void (*set_status)(void* host_ctx, int32_t status);
  void (*add_header)(void* host_ctx, kmetrics_str name, kmetrics_str value);
  void (*write_body)(void* host_ctx, kmetrics_str chunk);
} kmetrics_route_response;

typedef void (*kmetrics_route_handler)(void* plugin_user, const kmetrics_route_request* request,
                                       const kmetrics_route_response* response);

/* Which host listener a route goes on. */
typedef enum kmetrics_listener {
  KMETRICS_LISTENER_SECURE = 0,  /* --secure-port, TLS + authn + authz (metrics.k8s.io) */
  KMETRICS_LISTENER_HEAPSTER = 1 /* --heapster-port, heapster-compatible API */
} kmetrics_listener;

/* ------------------------------------------------------------------------------------------ */
/* Self-metrics (host service)                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef enum kmetrics_metric_kind {
  KMETRICS_METRIC_COUNTER = 0,
  KMETRICS_METRIC_GAUGE = 1,
  KMETRICS_METRIC_HISTOGRAM = 2
} kmetrics_metric_kind;

/* Opaque metric family registered with the host's registry (prometheus-cpp). */
typedef struct kmetrics_metric kmetrics_metric;

typedef enum kmetrics_log_level {
  KMETRICS_LOG_TRACE = 0,
  KMETRICS_LOG_DEBUG = 1,
  KMETRICS_LOG_INFO = 2,
  KMETRICS_LOG_WARN = 3,
  KMETRICS_LOG_ERROR = 4
} kmetrics_log_level;

/* ------------------------------------------------------------------------------------------ */
/* The host services table                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Services the host offers to plugin instances. Every function takes the `host_ctx` the instance
 * was created with, which identifies the instance (for log and metric attribution).
 * OWNERSHIP: host. LIFETIME: valid from create until destroy of the instance.
 * THREADING: every function is thread-safe unless stated. None may be called after shutdown
 * returned. */
typedef struct kmetrics_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  kmetrics_str host_version;

  /* Logging into the host's logger. `log_enabled` lets the plugin skip formatting. */
  void (*log)(void* host_ctx, kmetrics_log_level level, kmetrics_str message);
  int (*log_enabled)(void* host_ctx, kmetrics_log_level level);

  /* Clocks. */
  int64_t (*now_unix_ns)(void* host_ctx);
  int64_t (*now_mono_ns)(void* host_ctx);

  /* Self-metrics. `name` must match [a-zA-Z_:][a-zA-Z0-9_:]*. `buckets` only for histograms (NULL:
   * Prometheus default buckets). Returns NULL with a diag report on a bad name or a clash.
   * Label values are passed in the order of `label_names`. */
  kmetrics_metric* (*metric_register)(void* host_ctx, kmetrics_metric_kind kind, kmetrics_str name,
                                      kmetrics_str help, const kmetrics_str* label_names,
                                      size_t label_count, const double* buckets,
                                      size_t bucket_count, const kmetrics_diag* diag);
  /* counter: add; gauge: set; histogram: observe. */
  void (*metric_record)(void* host_ctx, kmetrics_metric* metric, const kmetrics_str* label_values,
                        size_t label_count, double value);
  /* Removes one labelled series (e.g. a node that went away). */
  void (*metric_remove)(void* host_ctx, kmetrics_metric* metric, const kmetrics_str* label_values,
                        size_t label_count);

  /* Cluster view. The callbacks run synchronously, on the calling thread, under no host lock that
   * the callback could contend on; returning non-zero from a callback stops the iteration.
   * `pod_namespace` empty = all namespaces. */
  kmetrics_status (*cluster_for_each_node)(void* host_ctx, void* user,
                                           int (*fn)(void* user, const kmetrics_node_info* node));
  kmetrics_status (*cluster_for_each_pod)(void* host_ctx, kmetrics_str pod_namespace, void* user,
                                          int (*fn)(void* user, const kmetrics_pod_info* pod));
  /* 1 once the cluster view has synced its first list, else 0. */
  int (*cluster_synced)(void* host_ctx);

  /* Snapshot reads. acquire never blocks on the scraper and never returns NULL. */
  kmetrics_snapshot* (*snapshot_acquire)(void* host_ctx);
  void (*snapshot_release)(void* host_ctx, kmetrics_snapshot* snapshot);
  int (*snapshot_ready)(void* host_ctx, const kmetrics_snapshot* snapshot);
  /* Looks up one node: KMETRICS_OK and fills *out, or KMETRICS_ERR_NOT_FOUND. */
  kmetrics_status (*snapshot_node)(void* host_ctx, const kmetrics_snapshot* snapshot,
                                   kmetrics_str node, kmetrics_usage* out);
  /* In order of name (bytewise). */
  void (*snapshot_for_each_node)(void* host_ctx, const kmetrics_snapshot* snapshot, void* user,
                                 kmetrics_node_usage_fn fn);
  /* Calls fn once with the pod, or returns KMETRICS_ERR_NOT_FOUND. */
  kmetrics_status (*snapshot_pod)(void* host_ctx, const kmetrics_snapshot* snapshot,
                                  kmetrics_str pod_namespace, kmetrics_str pod, void* user,
                                  kmetrics_pod_usage_fn fn);
  /* `pod_namespace` empty = all namespaces. In order of (namespace, name), bytewise: the order of
   * metrics.k8s.io lists. */
  void (*snapshot_for_each_pod)(void* host_ctx, const kmetrics_snapshot* snapshot,
                                kmetrics_str pod_namespace, void* user, kmetrics_pod_usage_fn fn);
  /* History of one series, oldest first. `entity` is "node/<name>", "pod/<ns>/<name>" or
   * "container/<ns>/<pod>/<name>"; `series` a heapster metric name such as "cpu/usage_rate".
   * Returns KMETRICS_ERR_NOT_FOUND when the series is unknown. */
  kmetrics_status (*snapshot_history)(void* host_ctx, const kmetrics_snapshot* snapshot,
                                      kmetrics_str entity, kmetrics_str series, void* user,
                                      void (*fn)(void* user, const kmetrics_history_point* points,
                                                 size_t count));

  /* Outgoing HTTP(S) with the host's TLS settings and credentials for `profile`. Blocks until the
   * response, an error or the deadline; connections are pooled per scheme+host+port. On success
   * calls on_response exactly once before returning. */
  kmetrics_status (*http_request)(void* host_ctx, const kmetrics_http_request* request, void* user,
                                  void (*on_response)(void* user,
                                                      const kmetrics_http_response* response),
                                  const kmetrics_diag* diag);

  /* Registers a handler for every request whose path starts with `path_prefix` on `listener`
   * (longest prefix wins). Only during create or start. The handler may run on many threads
   * concurrently. `plugin_user` must stay valid until the instance is destroyed. */
  kmetrics_status (*route_register)(void* host_ctx, kmetrics_listener listener,
                                    kmetrics_str path_prefix, kmetrics_route_handler handler,
                                    void* plugin_user, const kmetrics_diag* diag);

  /* Marks the instance healthy (1) or not (0), with a reason shown in /healthz?verbose. */
  void (*set_health)(void* host_ctx, int healthy, kmetrics_str reason);

  /* ---- since 1.1 (check with KMETRICS_HOST_API_HAS: a 1.0 host's table ends above) ---- */

  /* Cluster view lookups by key instead of scans. Same callback rules as cluster_for_each_*: the
   * info is borrowed for the call, fn runs on the calling thread under no host lock, and the
   * callback's return value is ignored by the find_* calls.
   * find_node: calls fn once with the node and returns KMETRICS_OK, or returns KMETRICS_ERR_NOT_FOUND
   * (absent, or filtered out by --node-selector). */
  kmetrics_status (*cluster_find_node)(void* host_ctx, kmetrics_str name, void* user,
                                       int (*fn)(void* user, const kmetrics_node_info* node));
  /* find_pod: calls fn once with the running pod `pod_namespace`/`name` and returns KMETRICS_OK, or
   * returns KMETRICS_ERR_NOT_FOUND. */
  kmetrics_status (*cluster_find_pod)(void* host_ctx, kmetrics_str pod_namespace, kmetrics_str name,
                                      void* user, int (*fn)(void* user, const kmetrics_pod_info* pod));
  /* The running pods of `pod_namespace` (empty = all namespaces) that have the label `key` with
   * exactly `value`, found through an index (not a scan). No particular order. Returning non-zero
   * from fn stops. KMETRICS_OK also when no pod matches. */
  kmetrics_status (*cluster_for_each_pod_with_label)(void* host_ctx, kmetrics_str pod_namespace,
                                                     kmetrics_str key, kmetrics_str value, void* user,
                                                     int (*fn)(void* user, const kmetrics_pod_info* pod));
} kmetrics_host_api;

/* True when the host table `api` has the entry `field` (a function pointer added by a later minor)
 * and it is set: struct_size covers it and it is not NULL. Example:
 *   if (KMETRICS_HOST_API_HAS(api, cluster_find_pod)) api->cluster_find_pod(...); else scan. */
#define KMETRICS_HOST_API_HAS(api, field)                                               \
  ((api)->struct_size >= offsetof(kmetrics_host_api, field) + sizeof((api)->field) && \
   (api)->field != NULL)

/* ------------------------------------------------------------------------------------------ */
/* What a plugin library exports                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef enum kmetrics_component_kind {
  KMETRICS_KIND_SOURCE = 0,
  KMETRICS_KIND_SINK = 1
} kmetrics_component_kind;

typedef enum kmetrics_source_scope {
  KMETRICS_SCOPE_PER_NODE = 0, /* scrape is called once per node per tick, in parallel */
  KMETRICS_SCOPE_CLUSTER = 1   /* scrape is called once per tick with node == NULL */
} kmetrics_source_scope;

typedef enum kmetrics_sink_mode {
  KMETRICS_SINK_QUERY = 0, /* reads snapshots (serves an API); never receives batches */
  KMETRICS_SINK_PUSH = 1   /* receives every tick's batch through a bounded queue */
} kmetrics_sink_mode;

/* One component (a source or a sink type) of a plugin library.
 *
 * Lifecycle, enforced by the host: create -> start -> (scrape | consume)* -> shutdown -> destroy.
 *   create    decodes and validates the config strictly, reporting every error to `diag`; must
 *             not start threads or do I/O beyond reading files named in the config.
 *   start     begins background work; returns quickly.
 *   shutdown  stops all work and flushes by the deadline; idempotent; safe without start. The
 *             host makes no call on the instance after it except destroy.
 *   destroy   frees the instance; called exactly once, also when start failed.
 * Every hook must catch its own exceptions (the SDK does) and report them as KMETRICS_ERR_INTERNAL.
 *
 * THREADING: create/start/shutdown/destroy come from one host thread. A PER_NODE source's scrape
 * may run concurrently for different nodes; a CLUSTER source's scrape never overlaps itself. A
 * push sink's consume is never called concurrently for one instance.
 * OWNERSHIP: the descriptor and every string in it belong to the library and live as long as it. */
typedef struct kmetrics_component {
  size_t struct_size;
  kmetrics_component_kind kind;
  const char* type;               /* ^[a-z][a-z0-9_]{0,62}$, unique across all loaded plugins */
  const char* version;            /* semver of the component */
  const char* stability;          /* "alpha" | "beta" | "stable" | "deprecated" */
  const char* description;        /* one sentence */
  const char* config_schema_json; /* JSON Schema (draft 2020-12) of the config object */
  const char* example_config_json;
  uint32_t scope_or_mode; /* kmetrics_source_scope for sources, kmetrics_sink_mode for sinks */

  kmetrics_status (*create)(const kmetrics_host_api* host, void* host_ctx, kmetrics_str instance_name,
                            kmetrics_str config_json, const kmetrics_diag* diag,
                            void** out_instance);
  kmetrics_status (*start)(void* instance, const kmetrics_diag* diag);
  void (*shutdown)(void* instance, int64_t deadline_mono_ns);
  void (*destroy)(void* instance);

  /* Sources only (NULL for sinks). */
  kmetrics_status (*scrape)(void* instance, const kmetrics_scrape_request* request,
                            const kmetrics_emitter* out, const kmetrics_diag* diag);
  /* Push sinks only (NULL otherwise). */
  kmetrics_status (*consume)(void* instance, const kmetrics_batch* batch, const kmetrics_diag* diag);

  /* KMETRICS_COMPONENT_* bits. */
  uint32_t flags;
} kmetrics_component;

/* Bits of kmetrics_component.flags. */
enum {
  /* A sink that reads extended series (network, filesystem, RSS, page faults, uptime): sources are
   * asked for them (KMETRICS_WANT_EXTENDED) while such a sink is configured. */
  KMETRICS_COMPONENT_WANTS_EXTENDED = 1u << 0,
  /* A source whose scrape waits only inside host calls (http_request), holds no lock and no
   * thread-local state across them and needs at most 256 KiB of stack: the host may then run its
   * scrapes as fibers, many per thread, instead of one thread per scrape in flight. Hosts that do
   * not know the bit run scrapes on threads, as before. */
  KMETRICS_COMPONENT_SCRAPE_FIBER_SAFE = 1u << 1
};

/* Information the host gives the entry function. OWNERSHIP: host. LIFETIME: the entry call. */
typedef struct kmetrics_host_info {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  kmetrics_str host_version;
} kmetrics_host_info;

/* What the entry function returns.
 * OWNERSHIP: the library (static storage). LIFETIME: as long as the library is loaded. */
typedef struct kmetrics_plugin_descriptor {
  size_t struct_size;
  uint32_t abi_major;   /* KMETRICS_ABI_VERSION_MAJOR the plugin was built with */
  uint32_t abi_minor;   /* KMETRICS_ABI_VERSION_MINOR the plugin was built with */
  const char* name;     /* library name, e.g. "source_kubelet" */
  const char* version;  /* library version */
  const char* build_info; /* compiler, standard library, SDK version, build type */
  const kmetrics_component* const* components;
  size_t component_count;
} kmetrics_plugin_descriptor;

/* The entry function type. Returns NULL if the library cannot work with this host (it may explain
 * why through host log output on stderr). Called once per load, from the loading thread. */
typedef const kmetrics_plugin_descriptor* (*kmetrics_plugin_entry_fn)(const kmetrics_host_info* host);

/* Smallest descriptor sizes the v1 host accepts (the v1.0 layouts). */
#define KMETRICS_PLUGIN_DESCRIPTOR_MIN_SIZE (sizeof(kmetrics_plugin_descriptor))
#define KMETRICS_COMPONENT_MIN_SIZE (sizeof(kmetrics_component))

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KMETRICS_ABI_H_ */
