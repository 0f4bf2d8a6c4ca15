// Incremental HTTP/1.x response parser for the direct client: status line, headers, then a body
// delimited by Content-Length, chunked transfer coding, or the end of the connection. Bytes are fed
// as they arrive; the body is appended to a caller-owned string (no copy of its own).
//
// Errors throw HttpError: protocol ("malformed response: ...") for anything that is not HTTP/1.x,
// too_large when the head exceeds kMaxHeadBytes or the body exceeds the limit. 1xx interim responses
// are skipped. Trailers after a chunked body are read and dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmetrics::http {

class ResponseParser {
 public:
  static constexpr size_t kMaxHeadBytes = 64 * 1024;

  // `what` prefixes error messages ("GET https://10.0.0.1:10250/metrics/resource"); a response to
  // HEAD has no body whatever its headers say.
  ResponseParser(std::string_view what, std::string& body, size_t max_body, bool head_request = false);

  // Consumes bytes; returns how many were used (less than given only once the response is complete:
  // the rest belongs to nobody, a well-behaved server sends nothing after the response).
  size_t feed(std::string_view bytes);
  // The connection ended. Completes a close-delimited body; otherwise throws protocol errors that say
  // how far the response got ("connection closed after 11 of 1000 body bytes").
  void finish_at_eof();

  bool complete() const { return state_ == State::done; }
  bool received_anything() const { return received_; }
  int status() const { return status_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  // True when the server allows the connection to be reused for another request.
  bool keep_alive() const { return keep_alive_; }

 private:
  enum class State { head, fixed_body, chunk_size, chunk_data, chunk_data_end, trailers, until_close, done };

  size_t feed_head(std::string_view bytes);
  void parse_head(std::string_view head);  // one header block, up to and including the blank line
  void start_body();
  size_t feed_chunk_line(std::string_view bytes, bool trailer);
  // Body bytes of a fixed-length body or a chunk: up to remaining_, then `when_done`.
  size_t take_counted(std::string_view bytes, State when_done);
  void append_body(std::string_view bytes);
  [[noreturn]] void malformed(const std::string& why) const;

  std::string what_;
  std::string& body_;
  size_t max_body_;
  bool head_request_;
  State state_ = State::head;
  std::string line_;  // the head, or a chunk-size/trailer line, while incomplete
  int status_ = 0;
  std::vector<std::pair<std::string, std::string>> headers_;
  bool keep_alive_ = true;
  bool chunked_ = false;
  bool has_length_ = false;
  uint64_t length_ = 0;
  uint64_t remaining_ = 0;  // of the fixed body or the current chunk
  uint64_t body_bytes_ = 0;
  bool received_ = false;
};

}  // namespace kmetrics::http
