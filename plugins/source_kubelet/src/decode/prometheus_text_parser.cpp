#include "prometheus_text_parser.hpp"

#include <cstring>

#include "number_parsing.hpp"

namespace kmetrics::kubelet {

namespace {

// Character classes as 256-entry tables: the scanner's inner loops are one load per byte.
struct CharTables {
  bool name_start[256] = {};   // [a-zA-Z_:]
  bool name_char[256] = {};    // [a-zA-Z0-9_:]
  bool label_start[256] = {};  // [a-zA-Z_]
  bool label_char[256] = {};   // [a-zA-Z0-9_]
  bool token_end[256] = {};    // blank or end-of-value
  constexpr CharTables() {
    for (int c = 0; c < 256; ++c) {
      const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      const bool digit = c >= '0' && c <= '9';
      label_start[c] = alpha || c == '_';
      label_char[c] = alpha || digit || c == '_';
      name_start[c] = label_start[c] || c == ':';
      name_char[c] = label_char[c] || c == ':';
      token_end[c] = c == ' ' || c == '\t';
    }
  }
};
constexpr CharTables kChars;

inline unsigned char uc(char c) { return static_cast<unsigned char>(c); }

inline const char* skip_blanks(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  return p;
}

inline const char* token_end(const char* p, const char* end) {
  while (p < end && !kChars.token_end[uc(*p)]) ++p;
  return p;
}

}  // namespace

void unescape_label_value(std::string_view raw, std::string& out) {
  out.reserve(out.size() + raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      const char n = raw[i + 1];
      if (n == '\\' || n == '"') {
        out.push_back(n);
        ++i;
        continue;
      }
      if (n == 'n') {
        out.push_back('\n');
        ++i;
        continue;
      }
    }
    out.push_back(c);
  }
}

std::string make_excerpt(std::string_view bytes, std::size_t max_len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = bytes.size() < max_len ? bytes.size() : max_len;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = uc(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (bytes.size() > max_len) out += "...";
  return out;
}

void PrometheusTextParser::reset(std::string_view body) {
  // One hostile line with 10^6 labels must not pin that memory for the worker's lifetime.
  if (labels_.capacity() > 4096) std::vector<PromLabel>().swap(labels_);
  body_ = body;
  pos_ = 0;
  line_no_ = 0;
  line_begin_ = body.data();
  error_ = DecodeStatus{};
}

PrometheusTextParser::Result PrometheusTextParser::fail(const char* what, const char* at) {
  const std::size_t offset = static_cast<std::size_t>(at - body_.data());
  // Excerpt from the offending byte to the end of its line.
  std::size_t line_end = offset;
  while (line_end < body_.size() && body_[line_end] != '\n') ++line_end;
  std::string msg = "line " + std::to_string(line_no_) + ": " + what + " near \"" +
                    make_excerpt(body_.substr(offset, line_end - offset)) + "\"";
  error_ = DecodeStatus::Error(DecodeCode::kMalformed, std::move(msg), line_no_, offset);
  pos_ = body_.size();
  return Result::kError;
}

PrometheusTextParser::Result PrometheusTextParser::next(PromSample& s) {
  if (!error_.ok()) return Result::kError;
  const char* const base = body_.data();
  const std::size_t size = body_.size();
  while (pos_ < size) {
    const char* p = base + pos_;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', size - pos_));
    const char* end = nl ? nl : base + size;
    pos_ = nl ? static_cast<std::size_t>(nl - base) + 1 : size;
    ++line_no_;
    line_begin_ = p;
    if (end > p && end[-1] == '\r') --end;  // CRLF

    p = skip_blanks(p, end);
    if (p == end || *p == '#') continue;  // blank line, HELP, TYPE or other comment

    // Metric name.
    const char* name_begin = p;
    if (!kChars.name_start[uc(*p)]) return fail("invalid metric name", p);
    ++p;
    while (p < end && kChars.name_char[uc(*p)]) ++p;
    s.name = std::string_view(name_begin, static_cast<std::size_t>(p - name_begin));

    // Optional label set.
    labels_.clear();
    if (p < end && *p == '{') {
      ++p;
      for (;;) {
        p = skip_blanks(p, end);
        if (p == end) return fail("unterminated label set", p);
        if (*p == '}') {
          ++p;
          break;
        }
        const char* ln = p;
        if (!kChars.label_start[uc(*p)]) return fail("invalid label name", p);
        ++p;
        while (p < end && kChars.label_char[uc(*p)]) ++p;
        PromLabel label;
        label.name = std::string_view(ln, static_cast<std::size_t>(p - ln));
        p = skip_blanks(p, end);
        if (p == end || *p != '=') return fail("expected '=' after label name", p);
        p = skip_blanks(p + 1, end);
        if (p == end || *p != '"') return fail("expected '\"' to open label value", p);
        ++p;
        const char* vb = p;
        // Fast path: the closing quote with no backslash before it.
        const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
        if (q == nullptr) return fail("unterminated label value", vb - 1);
        if (std::memchr(p, '\\', static_cast<std::size_t>(q - p)) != nullptr) {
          label.escaped = true;
          while (p < end && *p != '"') {
            if (*p == '\\') {
              if (p + 1 == end) break;
              p += 2;
            } else {
              ++p;
            }
          }
          if (p >= end) return fail("unterminated label value", vb - 1);
          q = p;
        }
        label.raw_value = std::string_view(vb, static_cast<std::size_t>(q - vb));
        labels_.push_back(label);
        p = skip_blanks(q + 1, end);
        if (p == end) return fail("unterminated label set", p);
        if (*p == ',') {
          ++p;
          continue;
        }
        if (*p == '}') {
          ++p;
          break;
        }
        return fail("expected ',' or '}' after label value", p);
      }
    } else if (p < end && *p != ' ' && *p != '\t') {
      return fail("invalid character in metric name", p);
    }

    // Value.
    p = skip_blanks(p, end);
    if (p == end) return fail("missing sample value", p);
    const char* vb = p;
    p = token_end(p, end);
    if (!parse_prom_float(std::string_view(vb, static_cast<std::size_t>(p - vb)), s.value))
      return fail("invalid sample value", vb);

    // Optional timestamp (integer milliseconds).
    p = skip_blanks(p, end);
    s.has_timestamp = false;
    if (p < end) {
      const char* tb = p;
      p = token_end(p, end);
      if (!parse_int64(std::string_view(tb, static_cast<std::size_t>(p - tb)), s.timestamp_ms))
        return fail("invalid timestamp", tb);
      s.has_timestamp = true;
      p = skip_blanks(p, end);
      if (p != end) return fail("unexpected text after timestamp", p);
    }

    s.labels = labels_.data();
    s.label_count = labels_.size();
    s.line = line_no_;
    s.line_offset = static_cast<std::size_t>(line_begin_ - base);
    return Result::kSample;
  }
  return Result::kEnd;
}

}  // namespace kmetrics::kubelet
