#include "config/text_match.hpp"

namespace kmetrics::config {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool hex(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

template <class Edge, class Middle>
bool edged(std::string_view s, std::size_t max, Edge edge, Middle middle) {
  if (s.empty() || s.size() > max || !edge(s.front()) || !edge(s.back())) return false;
  for (char c : s) {
    if (!edge(c) && !middle(c)) return false;
  }
  return true;
}

std::size_t digits(std::string_view s, std::size_t i) {
  while (i < s.size() && digit(s[i])) ++i;
  return i;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?); returns the end, or npos; sets nonzero when a digit 1-9 occurs.
std::size_t decimal(std::string_view s, std::size_t i, bool& nonzero) {
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t start = i;
  i = digits(s, i);
  bool whole = i > start;
  if (i < s.size() && s[i] == '.') {
    std::size_t frac = i + 1;
    i = digits(s, frac);
    if (!whole && i == frac) return std::string_view::npos;
  } else if (!whole) {
    return std::string_view::npos;
  }
  for (std::size_t k = start; k < i; ++k) nonzero = nonzero || (s[k] >= '1' && s[k] <= '9');
  return i;
}

// [eE][-+]?[0-9]+ at i; returns the end or npos.
std::size_t exponent(std::string_view s, std::size_t i) {
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return std::string_view::npos;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t e = digits(s, i);
  return e > i ? e : std::string_view::npos;
}

}  // namespace

bool is_yaml_int(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
    bool octal = s[1] == 'o';
    for (char c : s.substr(2)) {
      if (octal ? !(c >= '0' && c <= '7') : !hex(c)) return false;
    }
    return true;
  }
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  return i < s.size() && digits(s, i) == s.size();
}

bool is_yaml_float(std::string_view s) {
  std::string_view body = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? s.substr(1) : s;
  if (body == ".inf" || body == ".Inf" || body == ".INF") return true;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  bool nz = false;
  std::size_t i = decimal(s, 0, nz);
  if (i == std::string_view::npos) return false;
  if (i == s.size()) return true;
  return exponent(s, i) == s.size();
}

bool is_plugin_type(std::string_view s) {
  if (s.empty() || !lower(s[0])) return false;
  for (char c : s) {
    if (!lower(c) && !digit(c) && c != '_') return false;
  }
  return true;
}

bool is_instance_name(std::string_view s) {
  return edged(s, 63, [](char c) { return lower(c) || digit(c); },
               [](char c) { return c == '-' || c == '_' || c == '.'; });
}

bool is_label_name(std::string_view s) {
  return edged(s, 63, [](char c) { return lower(c) || upper(c) || digit(c); },
               [](char c) { return c == '-' || c == '_' || c == '.'; });
}

bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!edged(part, 253, [](char c) { return lower(c) || digit(c); }, [](char c) { return c == '-'; })) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_quantity(std::string_view s, bool& is_zero) {
  bool nonzero = false;
  std::size_t i = decimal(s, 0, nonzero);
  if (i == std::string_view::npos) return false;
  is_zero = !nonzero;
  std::string_view suffix = s.substr(i);
  if (suffix.empty()) return true;
  if (suffix.size() == 2 && suffix[1] == 'i' && std::string_view("KMGTPE").find(suffix[0]) != std::string_view::npos) {
    return true;
  }
  if (suffix.size() == 1 && std::string_view("numkMGTPE").find(suffix[0]) != std::string_view::npos) return true;
  return exponent(s, i) == s.size();
}

}  // namespace kmetrics::config
