#include "top_output_parser.hpp"

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace kmetrics::e2e {
namespace {

std::string canonical(const std::string& h) {
  if (h == "CPU%") return "CPU(%)";
  if (h == "MEMORY%") return "MEMORY(%)";
  return h;
}

std::optional<int64_t> intWithSuffix(const std::string& cell, const std::string& suffix) {
  if (cell.size() <= suffix.size() || cell.compare(cell.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  const std::string digits = cell.substr(0, cell.size() - suffix.size());
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;  // a '-' is a failure too
  }
  try {
    return std::stoll(digits);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

const std::string& TopRow::at(const std::string& column) const {
  auto it = cells.find(column);
  if (it == cells.end()) throw std::runtime_error("no column " + column + " in row: " + raw);
  return it->second;
}

bool TopTable::hasColumn(const std::string& c) const {
  for (const auto& h : header) {
    if (h == c) return true;
  }
  return false;
}

std::vector<std::string> splitWhitespace(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TopTable parseTopTable(const std::string& text) {
  TopTable t;
  std::istringstream in(text);
  std::string line;
  bool have_header = false;
  while (std::getline(in, line)) {
    auto cells = splitWhitespace(line);
    if (cells.empty()) continue;
    if (!have_header) {
      t.raw_header = cells;
      for (const auto& c : cells) t.header.push_back(canonical(c));
      have_header = true;
      continue;
    }
    TopRow row;
    row.raw = line;
    for (const auto& c : cells) {
      if (c == "<unknown>") row.unknown = true;
    }
    if (!row.unknown && cells.size() != t.header.size()) {
      throw std::runtime_error("row has " + std::to_string(cells.size()) + " cells, header " +
                               std::to_string(t.header.size()) + ": '" + line + "'");
    }
    for (size_t i = 0; i < cells.size() && i < t.header.size(); ++i) row.cells[t.header[i]] = cells[i];
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::optional<int64_t> parseCpuMilli(const std::string& cell) { return intWithSuffix(cell, "m"); }
std::optional<int64_t> parseMemMi(const std::string& cell) { return intWithSuffix(cell, "Mi"); }
std::optional<int64_t> parsePercent(const std::string& cell) { return intWithSuffix(cell, "%"); }

std::optional<long double> parseQuantity(const std::string& q) {
  static const std::pair<const char*, long double> kSuffixes[] = {
      {"Ki", 1024.0L}, {"Mi", 1048576.0L}, {"Gi", 1073741824.0L}, {"Ti", 1099511627776.0L},
      {"n", 1e-9L},    {"u", 1e-6L},       {"m", 1e-3L},          {"k", 1e3L},
      {"M", 1e6L},     {"G", 1e9L},        {"T", 1e12L}};
  if (q.empty()) return std::nullopt;
  std::string number = q;
  long double scale = 1.0L;
  for (const auto& [s, f] : kSuffixes) {
    const std::string suf(s);
    if (q.size() > suf.size() && q.compare(q.size() - suf.size(), suf.size(), suf) == 0) {
      number = q.substr(0, q.size() - suf.size());
      scale = f;
      break;
    }
  }
  try {
    size_t used = 0;
    const long double v = std::stold(number, &used);
    if (used != number.size()) return std::nullopt;
    return v * scale;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace kmetrics::e2e
