// Streaming tokenizer for the Prometheus text exposition format 0.0.4 (what kubelets serve).
//
// Zero-copy: names and label values are views into the body, which must outlive the parser's use.
// Only sample lines are returned; `# HELP`, `# TYPE`, other comments and blank lines are skipped.
// Every sample line is checked for syntax (a kubelet sending garbage fails the payload, as with
// Prometheus' textparse), but label values are not unescaped until a caller asks.
//
// Accepted beyond the canonical form: CRLF line ends, missing final newline, blanks around tokens and
// inside braces, a trailing comma in the label set. Not accepted: hex floats, OpenMetrics `# EOF`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decode_status.hpp"

namespace kmetrics::kubelet {

struct PromLabel {
  std::string_view name;
  std::string_view raw_value;  // between the quotes, still escaped if `escaped`
  bool escaped = false;        // raw_value contains a backslash sequence
};

struct PromSample {
  std::string_view name;
  const PromLabel* labels = nullptr;  // valid until the next call to next()
  std::size_t label_count = 0;
  double value = 0;
  bool has_timestamp = false;
  int64_t timestamp_ms = 0;
  std::size_t line = 0;         // 1-based
  std::size_t line_offset = 0;  // byte offset of the line start
  bool same_name_as_previous = false;  // `name` equals the previous sample's name of this body

  // First label with this name, or nullptr.
  const PromLabel* find_label(std::string_view label_name) const {
    for (std::size_t i = 0; i < label_count; ++i)
      if (labels[i].name == label_name) return &labels[i];
    return nullptr;
  }
};

// Undoes the three escapes of the format (\\ \" \n); other backslash pairs stay as they are, like
// textparse. Appends to `out`.
void unescape_label_value(std::string_view raw, std::string& out);

// A printable, bounded excerpt of untrusted bytes for error messages (non-printables as \xNN).
std::string make_excerpt(std::string_view bytes, std::size_t max_len = 40);

class PrometheusTextParser {
 public:
  enum class Result { kSample, kEnd, kError };

  // Starts over on a new body; keeps the label buffer's capacity.
  void reset(std::string_view body);

  // Advances to the next sample line. On kError, error() describes it and further calls return kError.
  Result next(PromSample& sample);

  const DecodeStatus& error() const { return error_; }

 private:
  Result fail(const char* what, const char* at);

  std::string_view body_;
  std::size_t pos_ = 0;
  std::size_t line_no_ = 0;
  const char* line_begin_ = nullptr;
  std::string_view last_name_;  // name of the last sample returned (a view into the body)
  static constexpr std::size_t kRememberedLabels = 4;
  std::string_view last_label_names_[kRememberedLabels];  // its first label names, empty if fewer
  std::vector<PromLabel> labels_;
  DecodeStatus error_;
};

}  // namespace kmetrics::kubelet
