#include "cluster/file_util.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cluster/rest_config.hpp"

namespace kmetrics::cluster::detail {

std::string read_file_or_throw(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigLoadError(what + " " + path + ": " + std::strerror(errno));
  std::string out;
  char buf[65536];
  for (;;) {  // bounded by the size cap
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > (16u << 20)) throw ConfigLoadError(what + " " + path + ": larger than 16 MiB");
    if (!in) break;
  }
  if (in.bad()) throw ConfigLoadError(what + " " + path + ": read error");
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0, pad = 0, count = 0;
  for (char c : in) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++pad;
      ++count;
      continue;
    }
    if (pad > 0) return std::nullopt;  // data after padding
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    ++count;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (pad > 2 || (count % 4) != 0) return std::nullopt;
  return out;
}

std::string resolve_relative(const std::string& path, const std::string& base_file) {
  if (path.empty() || path[0] == '/') return path;
  auto slash = base_file.rfind('/');
  if (slash == std::string::npos) return path;
  return base_file.substr(0, slash + 1) + path;
}

}  // namespace kmetrics::cluster::detail
