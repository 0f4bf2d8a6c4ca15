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
    // Copy runs that need no escaping in one append: names and labels rarely need any.
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      const bool plain = static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' &&
                         c != '&';
      if (plain) {
        continue;
      }
      out_.append(s.data() + run, i - run);
      run = i + 1;
      escape(c);
    }
    out_.append(s.data() + run, s.size() - run);
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
  void escape(char c) {
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      case '<': out_.append("\\u003c"); break;  // as Go's encoder, safe inside HTML
      case '>': out_.append("\\u003e"); break;
      case '&': out_.append("\\u0026"); break;
      default: {
        static const char* hex = "0123456789abcdef";
        out_.append("\\u00");
        out_.push_back(hex[(c >> 4) & 0xf]);
        out_.push_back(hex[c & 0xf]);
      }
    }
  }

  std::string& out_;
};

}  // namespace kmetrics::metrics_api
