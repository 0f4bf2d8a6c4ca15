#include "cluster/api_client.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>

namespace kmetrics::cluster {

namespace {

http::HttpClientOptions client_options(const RestConfig& config, const ApiClientOptions& options) {
  http::HttpClientOptions o;
  o.apiserver.tls = config.tls;
  o.apiserver.token = config.token;
  o.max_body_bytes = options.max_body_bytes;
  o.user_agent = options.user_agent;
  o.pool.max_idle_per_endpoint = 2;
  o.connect_timeout = options.connect_timeout;
  return o;
}

const http::HeaderView kAcceptJson[] = {{"Accept", "application/json"}};

}  // namespace

std::string url_encode(std::string_view v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(v.size());
  for (unsigned char c : v) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

ApiClient::ApiClient(RestConfig config, ApiClientOptions options)
    : config_(std::move(config)), options_(std::move(options)), http_(client_options(config_, options_)) {}

void ApiClient::throw_status(http::ResponseStream& stream, const std::string& body) {
  int status = stream.status();
  std::string reason = Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  std::string message;
  // Kubernetes errors are a Status object: {"kind":"Status","message":...,"reason":...,"code":...}.
  auto j = nlohmann::json::parse(body, nullptr, false);
  std::string status_reason;
  if (j.is_object()) {
    if (auto it = j.find("message"); it != j.end() && it->is_string()) message = it->get<std::string>();
    if (auto it = j.find("reason"); it != j.end() && it->is_string()) status_reason = it->get<std::string>();
  }
  if (message.empty()) message = body.substr(0, 200);
  throw ApiError(status, status_reason.empty() ? reason : status_reason,
                 stream.what() + ": " + std::to_string(status) + " " + reason + (message.empty() ? "" : ": " + message));
}

simdjson::dom::element ApiClient::get(const std::string& path, simdjson::dom::parser& parser, std::string& body,
                                      http::Interrupter* interrupter) {
  std::string url = config_.server + path;
  http::Request req;
  req.url = url;
  req.profile = http::Profile::apiserver;
  req.headers = kAcceptJson;
  req.deadline = http::Clock::now() + options_.request_timeout;
  auto stream = http_.open(req, std::chrono::milliseconds(0), interrupter);
  body.clear();
  stream->read_all(body, options_.max_body_bytes);
  if (stream->status() < 200 || stream->status() > 299) throw_status(*stream, body);
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; with room in `body` it parses in place.
  if (body.capacity() - body.size() < simdjson::SIMDJSON_PADDING) body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  simdjson::dom::element root;
  if (auto error = parser.parse(body).get(root)) {
    throw std::runtime_error(stream->what() + ": response is not valid JSON (" + simdjson::error_message(error) + ")");
  }
  return root;
}

std::unique_ptr<http::ResponseStream> ApiClient::watch(const std::string& path, std::chrono::milliseconds idle_timeout,
                                                       http::Interrupter* interrupter) {
  std::string url = config_.server + path;
  http::Request req;
  req.url = url;
  req.profile = http::Profile::apiserver;
  req.headers = kAcceptJson;
  req.deadline = http::Clock::now() + options_.request_timeout;  // for connect and the headers
  auto stream = http_.open(req, idle_timeout, interrupter);
  if (stream->status() != 200) {
    std::string body;
    try {
      stream->read_all(body, 1 << 20);
    } catch (const http::HttpError&) {
      // keep what we have: the status line alone is informative
    }
    throw_status(*stream, body);
  }
  stream->set_deadline(http::Clock::time_point::max());  // from now on only the idle timeout applies
  return stream;
}

}  // namespace kmetrics::cluster
