// kmetrics_host_api.http_request on top of HttpClient: the host's table entry forwards here.
//   static kmetrics_status http_request(void* ctx, const kmetrics_http_request* r, void* user,
//                                       void (*cb)(void*, const kmetrics_http_response*),
//                                       const kmetrics_diag* diag) {
//     return kmetrics::http::abi_http_request(client_of(ctx), r, user, cb, diag);
//   }
// Any HTTP status is KMETRICS_OK (the plugin judges it); transport failures map to a status and one
// diag report whose path is the URL. A request with deadline_mono_ns <= 0 gets 30 s.
// Thread-safety: as HttpClient (any number of threads).
#pragma once

#include <kmetrics/abi.h>

#include "http/http_client.hpp"

namespace kmetrics::http {

kmetrics_status abi_http_request(HttpClient& client, const kmetrics_http_request* request, void* user,
                                 void (*on_response)(void* user, const kmetrics_http_response* response),
                                 const kmetrics_diag* diag);

// DEADLINE for timeouts, INVALID_ARGUMENT for bad requests, UNAVAILABLE for the rest.
kmetrics_status status_of(ErrorKind kind);

}  // namespace kmetrics::http
