#include "config/help_text.hpp"

#include <algorithm>

#include "config/flag_table.hpp"

namespace kmetrics::config {
namespace {

std::string flag_prefix(const FlagSpec& f) {
  std::string line = f.shorthand.empty() ? "      --" : "  -" + std::string(f.shorthand) + ", --";
  line += f.name;
  if (!f.varname.empty()) line += " " + std::string(f.varname);
  return line;
}

void rstrip(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

// pflag's FlagUsages: names padded to the longest + 3, continuation lines indented to the usage column.
std::string section_usages(FlagSection section) {
  std::size_t width = 0;
  for (const auto& f : flag_table()) {
    if (f.section == section) width = std::max(width, flag_prefix(f).size());
  }
  std::string out;
  for (const auto& f : flag_table()) {
    if (f.section != section) continue;
    std::string line = flag_prefix(f);
    line.append(width - line.size() + 3, ' ');
    std::string indent(width + 3, ' ');
    for (char c : f.usage) {
      if (c == '\n') {
        rstrip(line);
        line += "\n" + indent;
      } else {
        line += c;
      }
    }
    rstrip(line);
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string flag_sections_text() {
  std::string out;
  for (FlagSection s : flag_sections()) {
    out += "\n" + std::string(section_title(s)) + ":\n\n" + section_usages(s);
  }
  return out;
}

std::string help_text() {
  return "Launch kmetrics, a drop-in replacement for metrics-server\n\n"
         "Usage:\n"
         "  kmetrics [flags]\n"
         "  kmetrics validate [--config FILE] [flags]\n"
         "\n"
         "Every metrics-server flag is accepted. Flags kmetrics does not implement are accepted only at their\n"
         "default value; see config/README.md for the exact list.\n" +
         flag_sections_text();
}

}  // namespace kmetrics::config
