#include "config/flag_values.hpp"

#include <arpa/inet.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>

#include "config/text_match.hpp"

namespace kmetrics::config {
namespace {

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// strconv.ParseInt(s, 0, 64): optional sign, 0x/0o/0b/0 prefixes.
bool parse_go_int(std::string_view text, long long& out, std::string& error) {
  std::string s(text);
  std::string digits = s;
  bool neg = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    neg = digits[0] == '-';
    digits = digits.substr(1);
  }
  int base = 10;
  if (digits.size() > 1 && digits[0] == '0') {
    char p = digits[1];
    if (p == 'x' || p == 'X') base = 16, digits = digits.substr(2);
    else if (p == 'o' || p == 'O') base = 8, digits = digits.substr(2);
    else if (p == 'b' || p == 'B') base = 2, digits = digits.substr(2);
    else base = 8, digits = digits.substr(1);
  }
  bool valid = !digits.empty();
  for (char c : digits) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
    if (d >= base) valid = false;
  }
  if (!valid) {
    error = "strconv.ParseInt: parsing " + quoted(s) + ": invalid syntax";
    return false;
  }
  errno = 0;
  unsigned long long u = std::strtoull(digits.c_str(), nullptr, base);
  unsigned long long limit = neg ? static_cast<unsigned long long>(LLONG_MAX) + 1 : LLONG_MAX;
  if (errno == ERANGE || u > limit) {
    error = "strconv.ParseInt: parsing " + quoted(s) + ": value out of range";
    return false;
  }
  out = neg ? static_cast<long long>(0 - u) : static_cast<long long>(u);
  return true;
}

bool parse_go_float(std::string_view text, double& out, std::string& error) {
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  if (s.empty() || !end || *end != '\0' || std::isspace(static_cast<unsigned char>(s[0]))) {
    error = "strconv.ParseFloat: parsing " + quoted(s) + ": invalid syntax";
    return false;
  }
  if (errno == ERANGE && std::isinf(out)) {
    error = "strconv.ParseFloat: parsing " + quoted(s) + ": value out of range";
    return false;
  }
  return true;
}

bool parse_quantity(std::string_view text, bool& is_zero) { return is_quantity(text, is_zero); }

}  // namespace

bool parse_go_bool(std::string_view s, bool& out) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    out = true;
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    out = false;
    return true;
  }
  return false;
}

bool is_ip_address(std::string_view text) {
  std::string s(text);
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool split_csv(std::string_view text, std::vector<std::string>& out, std::string& error) {
  out.clear();
  if (text.empty()) return true;
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += text[i++];
      }
      if (!closed || (i < text.size() && text[i] != ',')) {
        error = "parse error: extraneous or missing \" in quoted-field";
        return false;
      }
    } else {
      while (i < text.size() && text[i] != ',') {
        if (text[i] == '"') {
          error = "parse error: bare \" in non-quoted-field";
          return false;
        }
        field += text[i++];
      }
    }
    out.push_back(std::move(field));
    if (i >= text.size()) break;
    ++i;  // the comma
    if (i == text.size()) {
      out.emplace_back();
      break;
    }
  }
  return true;
}

bool convert_flag_value(FlagKind kind, std::string_view text, FlagValue& out, std::string& error) {
  switch (kind) {
    case FlagKind::boolean:
      if (!parse_go_bool(text, out.boolean)) {
        error = "strconv.ParseBool: parsing " + quoted(text) + ": invalid syntax";
        return false;
      }
      return true;
    case FlagKind::integer:
      return parse_go_int(text, out.integer, error);
    case FlagKind::number:
      return parse_go_float(text, out.number, error);
    case FlagKind::duration: {
      DurationParse p = parse_go_duration(text);
      if (!p.ok()) {
        error = p.error;
        return false;
      }
      out.duration = p.value;
      return true;
    }
    case FlagKind::ip: {
      std::string s(text);
      auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
      std::string trimmed = b == std::string::npos ? "" : s.substr(b, e - b + 1);
      if (!is_ip_address(trimmed)) {
        error = "failed to parse IP: " + quoted(text);
        return false;
      }
      out.text = trimmed;
      return true;
    }
    case FlagKind::string:
      out.text = std::string(text);
      return true;
    case FlagKind::string_slice:
      return split_csv(text, out.items, error);
    case FlagKind::quantity: {
      bool zero = false;
      if (!parse_quantity(text, zero)) {
        error = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        return false;
      }
      out.text = std::string(text);
      return true;
    }
  }
  return false;
}

FlagValue default_flag_value(const FlagSpec& spec) {
  FlagValue v;
  std::string d(spec.default_value);
  std::string ignored;
  switch (spec.kind) {
    case FlagKind::boolean: v.boolean = d == "true"; break;
    case FlagKind::integer: if (!d.empty()) convert_flag_value(spec.kind, d, v, ignored); break;
    case FlagKind::number: if (!d.empty()) convert_flag_value(spec.kind, d, v, ignored); break;
    case FlagKind::duration: if (!d.empty()) convert_flag_value(spec.kind, d, v, ignored); break;
    case FlagKind::string_slice:
      if (d.size() >= 2 && d.front() == '[' && d.back() == ']') split_csv(d.substr(1, d.size() - 2), v.items, ignored);
      break;
    default: v.text = d; break;
  }
  return v;
}

bool is_default_flag_value(const FlagSpec& spec, const FlagValue& v) {
  FlagValue d = default_flag_value(spec);
  switch (spec.kind) {
    case FlagKind::boolean: return v.boolean == d.boolean;
    case FlagKind::integer: return v.integer == d.integer;
    case FlagKind::number: return v.number == d.number;
    case FlagKind::duration: return v.duration == d.duration;
    case FlagKind::string_slice: return v.items == d.items;
    case FlagKind::quantity: {
      bool zero = false;
      return v.text.empty() || (parse_quantity(v.text, zero) && zero);
    }
    case FlagKind::string:
    case FlagKind::ip:
      return v.text == d.text;
  }
  return false;
}

}  // namespace kmetrics::config
