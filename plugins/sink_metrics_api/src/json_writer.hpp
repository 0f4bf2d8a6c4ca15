// A minimal streaming JSON writer for the hot list paths: appends to one string, no DOM.
// The caller is responsible for well-formed nesting; strings are escaped here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kmetrics::metrics_api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    out_.push_back('"');
    for (char c : s) {
      switch (c) {
        case '"': out_.append("\\\""); break;
        case '\\': out_.append("\\\\"); break;
        case '\n': out_.append("\\n"); break;
        case '\r': out_.append("\\r"); break;
        case '\t': out_.append("\\t"); break;
        case '<': out_.append("\\u003c"); break;  // as Go's encoder, safe inside HTML
        case '>': out_.append("\\u003e"); break;
        case '&': out_.append("\\u0026"); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            static const char* hex = "0123456789abcdef";
            out_.append("\\u00");
            out_.push_back(hex[(c >> 4) & 0xf]);
            out_.push_back(hex[c & 0xf]);
          } else {
            out_.push_back(c);
          }
      }
    }
    out_.push_back('"');
    return *this;
  }
  // "key":
  JsonWriter& key(std::string_view k) {
    string(k);
    out_.push_back(':');
    return *this;
  }
  JsonWriter& number(int64_t v) {
    out_.append(std::to_string(v));
    return *this;
  }

 private:
  std::string& out_;
};

}  // namespace kmetrics::metrics_api
