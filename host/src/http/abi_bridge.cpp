#include "http/abi_bridge.hpp"

#include <cstddef>
#include <vector>

namespace kmetrics::http {

namespace {

std::string_view sv(kmetrics_str s) { return s.ptr != nullptr ? std::string_view(s.ptr, s.len) : std::string_view(); }
kmetrics_str ks(std::string_view s) { return kmetrics_str{s.data(), s.size()}; }

void report(const kmetrics_diag* diag, std::string_view path, std::string_view message) {
  if (diag != nullptr && diag->report != nullptr) diag->report(diag->user, ks(path), ks(message));
}

}  // namespace

kmetrics_status status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return KMETRICS_ERR_INVALID_ARGUMENT;
    case ErrorKind::timeout: return KMETRICS_ERR_DEADLINE;
    default: return KMETRICS_ERR_UNAVAILABLE;
  }
}

kmetrics_status abi_http_request(HttpClient& client, const kmetrics_http_request* r, void* user,
                                 void (*on_response)(void*, const kmetrics_http_response*), const kmetrics_diag* diag) {
  if (r == nullptr || on_response == nullptr ||
      r->struct_size < offsetof(kmetrics_http_request, profile) + sizeof(r->profile)) {
    report(diag, "", "http_request: missing request or callback, or request struct too small");
    return KMETRICS_ERR_INVALID_ARGUMENT;
  }
  try {
    std::vector<HeaderView> headers;
    headers.reserve(r->header_count);
    for (size_t i = 0; i < r->header_count; ++i) headers.push_back({sv(r->headers[i].name), sv(r->headers[i].value)});
    Request req;
    req.method = r->method.len == 0 ? std::string_view("GET") : sv(r->method);
    req.url = sv(r->url);
    req.headers = headers;
    req.body = sv(r->body);
    req.profile = static_cast<Profile>(r->profile);
    req.deadline = r->deadline_mono_ns > 0 ? deadline_from_mono_ns(r->deadline_mono_ns)
                                           : Clock::now() + std::chrono::seconds(30);
    client.request(req, [&](const Response& resp) {
      std::vector<kmetrics_header> out;
      out.reserve(resp.headers->size());
      for (const auto& [n, v] : *resp.headers) out.push_back({ks(n), ks(v)});
      kmetrics_http_response abi{};
      abi.struct_size = sizeof abi;
      abi.status = resp.status;
      abi.headers = out.data();
      abi.header_count = out.size();
      abi.body = ks(resp.body);
      on_response(user, &abi);
    });
    return KMETRICS_OK;
  } catch (const HttpError& e) {
    report(diag, sv(r->url), e.what());
    return status_of(e.kind());
  } catch (const std::exception& e) {
    report(diag, sv(r->url), e.what());
    return KMETRICS_ERR_INTERNAL;
  }
}

}  // namespace kmetrics::http
