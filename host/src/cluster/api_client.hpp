// A minimal Kubernetes API client: JSON GETs (lists, parsed with simdjson) and watch streams against
// the RestConfig's server, over the host HttpClient (APISERVER profile: its CA, client certificate,
// rotating bearer token; keep-alive pooling for list pages). Accept: application/json.
//
// Thread-safety: all methods may be called from any number of threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "cluster/rest_config.hpp"
#include "http/http_client.hpp"

namespace simdjson::dom {
class element;
class parser;
}  // namespace simdjson::dom

namespace kmetrics::cluster {

// The API server answered with a non-2xx status (or a watch ERROR event). The message reads
// "GET https://api:6443/api/v1/pods?...: 410 Gone: too old resource version: 123 (456)".
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string reason, const std::string& message)
      : std::runtime_error(message), status_(status), reason_(std::move(reason)) {}
  int status() const { return status_; }
  const std::string& reason() const { return reason_; }  // Status.reason, e.g. "Expired", "Gone"

 private:
  int status_;
  std::string reason_;
};

struct ApiClientOptions {
  std::chrono::milliseconds request_timeout = std::chrono::seconds(60);  // one list page
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
  size_t max_body_bytes = 256u << 20;  // one list page; pages are 500 objects by default
  std::string user_agent = "kmetrics";
};

class ApiClient {
 public:
  // Throws std::runtime_error on bad TLS material in the config.
  ApiClient(RestConfig config, ApiClientOptions options = {});

  // GET `path` ("/api/v1/nodes?limit=500") into `body` and parse it with `parser`; the result
  // lives in `parser` until its next parse. Both are the caller's, reused from page to page so that
  // a warm list allocates nothing for them. Throws ApiError on non-2xx, http::HttpError on transport
  // problems, std::runtime_error on invalid JSON.
  simdjson::dom::element get(const std::string& path, simdjson::dom::parser& parser, std::string& body,
                             http::Interrupter* interrupter = nullptr);

  // Opens a watch; returns once the response headers arrived with 200. Each read waits at most
  // `idle_timeout`. Throws like get().
  std::unique_ptr<http::ResponseStream> watch(const std::string& path, std::chrono::milliseconds idle_timeout,
                                              http::Interrupter* interrupter = nullptr);

  const RestConfig& config() const { return config_; }
  http::HttpClient& http() { return http_; }

 private:
  [[noreturn]] void throw_status(http::ResponseStream& stream, const std::string& body);

  RestConfig config_;
  ApiClientOptions options_;
  http::HttpClient http_;
};

// Percent-encodes a query parameter value.
std::string url_encode(std::string_view value);

}  // namespace kmetrics::cluster
