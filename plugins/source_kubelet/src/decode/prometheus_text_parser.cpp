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

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

inline uint64_t load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Bit 7 of each byte of `v` that is zero, exact for the lowest such byte (higher ones may be false
// positives, which only matters to callers that look past the lowest).
inline uint64_t zero_bytes(uint64_t v) {
  return (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
}

// First '"' or '\\' in [p, end), or end. Eight bytes at a time: label values are short, and a
// memchr call per value cost more than the scan. (Little-endian: the lowest set bit is the first byte.)
inline const char* find_quote_or_backslash(const char* p, const char* end) {
  while (end - p >= 8) {
    const uint64_t w = load64(p);
    const uint64_t hit = zero_bytes(w ^ 0x2222222222222222ull) | zero_bytes(w ^ 0x5C5C5C5C5C5C5C5Cull);
    if (hit != 0) return p + (__builtin_ctzll(hit) >> 3);
    p += 8;
  }
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
}

// a[0, n) == b[0, n); both ranges must be readable.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  while (n >= 8) {
    if (load64(a) != load64(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (*a++ != *b++) return false;
    --n;
  }
  return true;
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
  last_name_ = {};
  for (auto& n : last_label_names_) n = {};
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

    // Metric name. Families come in runs of lines with the same name: when the line starts with the
    // previous sample's name (already checked) followed by a non-name byte, it is that name again.
    const char* name_begin = p;
    const std::size_t last_len = last_name_.size();
    if (last_len != 0 && static_cast<std::size_t>(end - p) > last_len &&
        !kChars.name_char[uc(p[last_len])] && same_bytes(p, last_name_.data(), last_len)) {
      p += last_len;
      s.same_name_as_previous = true;
    } else {
      if (!kChars.name_start[uc(*p)]) return fail("invalid metric name", p);
      ++p;
      while (p < end && kChars.name_char[uc(*p)]) ++p;
      s.same_name_as_previous = false;
    }
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
        // As for the metric name: the label at this position of the previous sample usually has
        // the same (already checked) name.
        const std::size_t k = labels_.size();
        const std::size_t prev_len = k < kRememberedLabels ? last_label_names_[k].size() : 0;
        if (prev_len != 0 && static_cast<std::size_t>(end - p) > prev_len &&
            !kChars.label_char[uc(p[prev_len])] && same_bytes(p, last_label_names_[k].data(), prev_len)) {
          p += prev_len;
        } else {
          if (!kChars.label_start[uc(*p)]) return fail("invalid label name", p);
          ++p;
          while (p < end && kChars.label_char[uc(*p)]) ++p;
        }
        PromLabel label;
        label.name = std::string_view(ln, static_cast<std::size_t>(p - ln));
        p = skip_blanks(p, end);
        if (p == end || *p != '=') return fail("expected '=' after label name", p);
        p = skip_blanks(p + 1, end);
        if (p == end || *p != '"') return fail("expected '\"' to open label value", p);
        ++p;
        const char* vb = p;
        // Fast path: the closing quote with no backslash before it.
        const char* q = find_quote_or_backslash(p, end);
        if (q == end) return fail("unterminated label value", vb - 1);
        if (*q == '\\') {
          // As before this scan existed: no '"' at all after the value start is "unterminated"
          // whatever the backslashes (the escape walk below could stop on a trailing backslash).
          if (std::memchr(q, '"', static_cast<std::size_t>(end - q)) == nullptr)
            return fail("unterminated label value", vb - 1);
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
    // Fast path when the token is a plain number the prefix parser converts exactly; anything else
    // (sign '+', NaN, Inf, long mantissas, junk) is cut at the next blank and parsed in full.
    p = parse_prom_float_prefix(vb, end, s.value);
    if (p == nullptr || (p != end && !is_blank(*p))) {
      p = token_end(vb, end);
      if (!parse_prom_float(std::string_view(vb, static_cast<std::size_t>(p - vb)), s.value))
        return fail("invalid sample value", vb);
    }

    // Optional timestamp (integer milliseconds).
    p = skip_blanks(p, end);
    s.has_timestamp = false;
    if (p < end) {
      const char* tb = p;
      p = parse_int64_prefix(tb, end, s.timestamp_ms);
      if (p == nullptr || (p != end && !is_blank(*p))) {
        p = token_end(tb, end);
        if (!parse_int64(std::string_view(tb, static_cast<std::size_t>(p - tb)), s.timestamp_ms))
          return fail("invalid timestamp", tb);
      }
      s.has_timestamp = true;
      p = skip_blanks(p, end);
      if (p != end) return fail("unexpected text after timestamp", p);
    }

    last_name_ = s.name;
    for (std::size_t i = 0; i < kRememberedLabels; ++i)
      last_label_names_[i] = i < labels_.size() ? labels_[i].name : std::string_view();
    s.labels = labels_.data();
    s.label_count = labels_.size();
    s.line = line_no_;
    s.line_offset = static_cast<std::size_t>(line_begin_ - base);
    return Result::kSample;
  }
  return Result::kEnd;
}

}  // namespace kmetrics::kubelet
