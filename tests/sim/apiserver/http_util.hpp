// Small HTTP helpers for the simulated apiserver: Go-compatible query decoding and encoding,
// Kubernetes Status bodies, bounded body reads.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "apiserver/object_json.hpp"

namespace kmetrics::sim {

// Percent-decoding with '+' as space, like Go's url.ParseQuery.
std::string queryUnescape(const std::string& s);
// Go url.QueryEscape: unreserved bytes kept, space as '+', everything else %XX.
std::string queryEscape(const std::string& s);
// First value per key wins.
std::map<std::string, std::string> parseQuery(const std::string& raw);
// Go url.Values.Encode: keys sorted, every value escaped (what the aggregator sends upstream).
std::string encodeQuerySorted(const std::string& raw);

std::string pathUnescape(const std::string& s);
std::vector<std::string> splitPath(const std::string& path);  // "/a/b/" -> {"a","b"}

// metav1.Status
Json statusJson(int code, const std::string& reason, const std::string& message, Json details = nullptr);

void sendJson(Poco::Net::HTTPServerResponse& resp, int code, const Json& body,
              const std::string& content_type = "application/json");
void sendStatus(Poco::Net::HTTPServerResponse& resp, int code, const std::string& reason,
                const std::string& message, Json details = nullptr);
void sendText(Poco::Net::HTTPServerResponse& resp, int code, const std::string& text);

// Reads at most `limit` bytes of body; throws std::runtime_error when larger.
std::string readBody(Poco::Net::HTTPServerRequest& req, size_t limit = 4 << 20);

// True when `accept` asks for as=<kind> (e.g. "Table", "PartialObjectMetadataList").
bool acceptAs(const std::string& accept, const std::string& kind);

}  // namespace kmetrics::sim
