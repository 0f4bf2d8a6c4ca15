#include "http/response_parser.hpp"


#include <algorithm>
#include <charconv>

#include "http/header_name.hpp"
#include "http/http_error.hpp"

namespace kmetrics::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// True when the comma-separated header value lists `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (equals_ci(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// The end of a header block: the index just past "\r\n\r\n" (or "\n\n"), or npos.
size_t head_end(std::string_view s) {
  for (size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1)) {
    if (i + 1 < s.size() && s[i + 1] == '\n') return i + 2;
    if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

}  // namespace

ResponseParser::ResponseParser(std::string_view what, std::string& body, size_t max_body, bool head_request)
    : what_(what), body_(body), max_body_(max_body), head_request_(head_request) {}

void ResponseParser::malformed(const std::string& why) const {
  throw HttpError(ErrorKind::protocol, what_ + ": malformed response: " + why);
}

size_t ResponseParser::feed(std::string_view bytes) {
  if (!bytes.empty()) received_ = true;
  size_t used = 0;
  // Bounded: every pass consumes at least one byte or ends the loop.
  while (used < bytes.size() && state_ != State::done) {
    std::string_view rest = bytes.substr(used);
    switch (state_) {
      case State::head: used += feed_head(rest); break;
      case State::fixed_body: used += take_counted(rest, State::done); break;
      case State::chunk_data: used += take_counted(rest, State::chunk_data_end); break;
      case State::chunk_size:
      case State::chunk_data_end: used += feed_chunk_line(rest, false); break;
      case State::trailers: used += feed_chunk_line(rest, true); break;
      case State::until_close:
        append_body(rest);
        used = bytes.size();
        break;
      case State::done: break;
    }
  }
  return used;
}

size_t ResponseParser::feed_head(std::string_view bytes) {
  // Usually the whole head arrives at once: parse it in place without copying.
  if (line_.empty()) {
    size_t end = head_end(bytes);
    if (end != std::string_view::npos) {
      parse_head(bytes.substr(0, end));
      return end;
    }
  }
  size_t before = line_.size();
  line_.append(bytes.substr(0, std::min(bytes.size(), kMaxHeadBytes + 4 - before)));
  // Look from a little before the old end: the terminator may straddle two reads.
  size_t from = before > 3 ? before - 3 : 0;
  size_t end = head_end(std::string_view(line_).substr(from));
  if (end == std::string_view::npos) {
    if (line_.size() > kMaxHeadBytes) {
      throw HttpError(ErrorKind::too_large, what_ + ": response head longer than " + std::to_string(kMaxHeadBytes) +
                                                " bytes");
    }
    return line_.size() - before;
  }
  end += from;
  std::string head = line_.substr(0, end);
  line_.clear();
  parse_head(head);
  return end - before;
}

void ResponseParser::parse_head(std::string_view head) {
  size_t eol = head.find('\n');
  std::string_view status_line = trim(head.substr(0, eol));
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ') {
    malformed("not an HTTP/1.x status line: \"" + std::string(status_line.substr(0, 64)) + "\"");
  }
  const bool http10 = status_line[7] == '0';
  int code = 0;
  auto [p, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, code);
  if (ec != std::errc() || p != status_line.data() + 12 || code < 100 || code > 999 ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    malformed("bad status code in \"" + std::string(status_line.substr(0, 64)) + "\"");
  }
  status_ = code;
  headers_.clear();
  keep_alive_ = !http10;
  chunked_ = false;
  has_length_ = false;
  for (std::string_view rest = head.substr(eol + 1); !rest.empty();) {
    size_t next = rest.find('\n');
    std::string_view line = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding: part of the last value
      if (headers_.empty()) malformed("continuation line before any header");
      headers_.back().second.append(" ").append(trim(line));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      malformed("header line without a name: \"" + std::string(line.substr(0, 64)) + "\"");
    }
    headers_.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
  }
  for (const auto& [name, value] : headers_) {
    if (equals_ci(name, "Connection")) {
      if (has_token(value, "close")) keep_alive_ = false;
      if (http10 && has_token(value, "keep-alive")) keep_alive_ = true;
    } else if (equals_ci(name, "Transfer-Encoding")) {
      chunked_ = chunked_ || has_token(value, "chunked");
    } else if (equals_ci(name, "Content-Length")) {
      uint64_t n = 0;
      auto [q, err] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (err != std::errc() || q != value.data() + value.size() || (has_length_ && n != length_)) {
        malformed("bad Content-Length \"" + value.substr(0, 32) + "\"");
      }
      has_length_ = true;
      length_ = n;
    }
  }
  start_body();
}

void ResponseParser::start_body() {
  if (status_ >= 100 && status_ < 200 && status_ != 101) {  // interim response: the real one follows
    state_ = State::head;
    return;
  }
  if (head_request_ || status_ == 204 || status_ == 304) {
    state_ = State::done;
  } else if (chunked_) {
    state_ = State::chunk_size;
  } else if (has_length_) {
    if (length_ > max_body_) {
      throw HttpError(ErrorKind::too_large, what_ + ": body of " + std::to_string(length_) +
                                                " bytes exceeds the limit of " + std::to_string(max_body_) + " bytes");
    }
    body_.reserve(body_.size() + static_cast<size_t>(length_));
    remaining_ = length_;
    state_ = length_ == 0 ? State::done : State::fixed_body;
  } else {
    keep_alive_ = false;  // the end of the connection ends the body
    state_ = State::until_close;
  }
}

size_t ResponseParser::feed_chunk_line(std::string_view bytes, bool trailer) {
  size_t nl = bytes.find('\n');
  size_t take = nl == std::string_view::npos ? bytes.size() : nl + 1;
  if (line_.size() + take > 4096) malformed("chunk-size or trailer line longer than 4096 bytes");
  std::string_view line;
  if (line_.empty() && nl != std::string_view::npos) {
    line = bytes.substr(0, nl);
  } else {
    line_.append(bytes.substr(0, take));
    if (nl == std::string_view::npos) return take;
    line = std::string_view(line_).substr(0, line_.size() - 1);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (state_ == State::chunk_data_end) {
    if (!line.empty()) malformed("chunk data longer than its declared size");
    state_ = State::chunk_size;
  } else if (trailer) {
    if (line.empty()) state_ = State::done;
  } else {
    std::string_view hex = trim(line.substr(0, line.find(';')));
    uint64_t size = 0;
    auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), size, 16);
    if (hex.empty() || ec != std::errc() || p != hex.data() + hex.size()) {
      malformed("bad chunk size \"" + std::string(line.substr(0, 32)) + "\"");
    }
    remaining_ = size;
    state_ = size == 0 ? State::trailers : State::chunk_data;
  }
  line_.clear();
  return take;
}

size_t ResponseParser::take_counted(std::string_view bytes, State when_done) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, bytes.size()));
  append_body(bytes.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0) state_ = when_done;
  return n;
}

void ResponseParser::append_body(std::string_view bytes) {
  if (body_bytes_ + bytes.size() > max_body_) {
    throw HttpError(ErrorKind::too_large, what_ + ": body exceeds the limit of " + std::to_string(max_body_) + " bytes");
  }
  body_bytes_ += bytes.size();
  if (body_.capacity() < body_.size() + bytes.size()) {
    body_.reserve(std::max(body_.capacity() * 2, body_.size() + bytes.size()));
  }
  body_.append(bytes);
}

void ResponseParser::finish_at_eof() {
  switch (state_) {
    case State::done: return;
    case State::until_close: state_ = State::done; return;
    case State::head:
      if (!received_) {
        throw HttpError(ErrorKind::protocol, what_ + ": connection closed before a response was received");
      }
      malformed("connection closed inside the response head");
    case State::fixed_body:
      throw HttpError(ErrorKind::protocol, what_ + ": connection closed after " + std::to_string(body_bytes_) + " of " +
                                               std::to_string(length_) + " body bytes");
    default:
      throw HttpError(ErrorKind::protocol, what_ + ": connection closed inside the chunked body after " +
                                               std::to_string(body_bytes_) + " body bytes");
  }
}

}  // namespace kmetrics::http
