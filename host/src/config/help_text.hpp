// `kmetrics --help`: metrics-server's sections reproduced exactly (pflag layout), then kmetrics' own.
#pragma once

#include <string>

namespace kmetrics::config {

std::string help_text();

// Only the flag sections (what follows the usage header), for comparison with metrics-server's golden file.
std::string flag_sections_text();

}  // namespace kmetrics::config
