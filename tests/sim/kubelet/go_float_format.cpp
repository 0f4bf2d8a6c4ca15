#include "kubelet/go_float_format.hpp"

#include <charconv>
#include <cmath>

namespace kmetrics::sim {

void appendPromFloat(std::string& out, double v) {
  if (v == 0) { out += '0'; return; }
  if (v == 1) { out += '1'; return; }
  if (v == -1) { out += "-1"; return; }
  if (std::isnan(v)) { out += "NaN"; return; }
  if (std::isinf(v)) { out += v > 0 ? "+Inf" : "-Inf"; return; }

  // std::to_chars gives the same shortest round-trip digits as Go; only the layout differs.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const char* p = buf;
  const char* end = res.ptr;
  bool neg = false;
  if (*p == '-') { neg = true; ++p; }
  char digits[32];
  int nd = 0;
  while (p < end && *p != 'e') {
    if (*p != '.' && nd < 32) digits[nd++] = *p;
    ++p;
  }
  int exp = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exp);  // "e+07" / "e-05"
  if (neg) out += '-';
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (nd > 1) {
      out += '.';
      out.append(digits + 1, static_cast<size_t>(nd - 1));
    }
    out += 'e';
    out += exp < 0 ? '-' : '+';
    const int a = exp < 0 ? -exp : exp;
    if (a < 10) out += '0';
    appendInt(out, a);
    return;
  }
  const int dp = exp + 1;  // digits before the decimal point
  if (dp > 0) {
    for (int i = 0; i < dp; ++i) out += i < nd ? digits[i] : '0';
  } else {
    out += '0';
  }
  const int frac = nd - dp > 0 ? nd - dp : 0;
  if (frac > 0) {
    out += '.';
    for (int i = 0; i < frac; ++i) {
      const int j = dp + i;
      out += (j >= 0 && j < nd) ? digits[j] : '0';
    }
  }
}

void appendInt(std::string& out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void appendUint(std::string& out, uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace kmetrics::sim
