// Hands a decoded ScrapeResult to the host through the emitter (borrowed views, no copies here).
#pragma once

#include <string_view>

#include <kmetrics/sdk/samples.hpp>

#include "decode/scrape_result.hpp"

namespace kmetrics::kubelet {

void emitResult(const ScrapeResult& result, std::string_view node, const sdk::Emitter& out);

}  // namespace kmetrics::kubelet
