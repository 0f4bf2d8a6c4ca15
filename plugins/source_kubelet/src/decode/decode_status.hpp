// Outcome of a decode call. Decoders never throw; a non-ok status means the whole payload is
// rejected (metrics-server treats the node's batch as an error).
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace kmetrics::kubelet {

enum class DecodeCode {
  kOk = 0,
  kMalformed,          // syntax error (text: line + excerpt; JSON: byte offset)
  kNegativeTimestamp,  // /metrics/resource sample with a timestamp before 1970
  kWrongType,          // JSON value of the wrong type; message names the field path
  kInvalidUtf8,        // label value that is not UTF-8
};

struct DecodeStatus {
  DecodeCode code = DecodeCode::kOk;
  std::string message;  // empty when ok; otherwise one line, safe to log (excerpts are escaped)
  std::size_t line = 0;    // 1-based line of the error (text decoder), 0 if not applicable
  std::size_t offset = 0;  // byte offset of the error in the payload

  bool ok() const { return code == DecodeCode::kOk; }
  static DecodeStatus Ok() { return {}; }
  static DecodeStatus Error(DecodeCode c, std::string msg, std::size_t line, std::size_t offset) {
    return DecodeStatus{c, std::move(msg), line, offset};
  }
};

const char* decode_code_name(DecodeCode c);

}  // namespace kmetrics::kubelet
