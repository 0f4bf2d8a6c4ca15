// Parses `kubectl top` tables. Cells are separated by runs of spaces (tabwriter padding, trailing
// spaces included); 1.32+ renamed CPU%/MEMORY% to CPU(%)/MEMORY(%), so headers are canonicalised.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kmetrics::e2e {

struct TopRow {
  std::map<std::string, std::string> cells;  // canonical column name → cell
  bool unknown = false;                       // a `<unknown>` row (node without metrics)
  std::string raw;
  const std::string& at(const std::string& column) const;  // throws when the column is absent
};

struct TopTable {
  std::vector<std::string> header;  // canonical names: NAME NAMESPACE POD CPU(cores) CPU(%) ...
  std::vector<std::string> raw_header;
  std::vector<TopRow> rows;
  bool hasColumn(const std::string& c) const;
};

// Throws std::runtime_error on a row whose cell count does not match the header (except
// `<unknown>` rows, which 1.20 pads with extra tabs).
TopTable parseTopTable(const std::string& text);

std::vector<std::string> splitWhitespace(const std::string& line);

// "123m" → 123; nullopt when the cell is not <int>m.
std::optional<int64_t> parseCpuMilli(const std::string& cell);
// "345Mi" → 345.
std::optional<int64_t> parseMemMi(const std::string& cell);
// "41%" → 41.
std::optional<int64_t> parsePercent(const std::string& cell);

// A Kubernetes quantity ("1619349172n", "910m", "2", "1363Mi", "12Ki", "1e3") in base units.
std::optional<long double> parseQuantity(const std::string& q);

}  // namespace kmetrics::e2e
