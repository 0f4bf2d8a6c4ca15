// Where plugins are looked for when the config names no directory.
#pragma once

#include <filesystem>
#include <vector>

namespace kmetrics {

// In order: <dir of the executable>/../lib/kmetrics/plugins (the build tree: build/bin/kmetrics next
// to build/lib/kmetrics/plugins; also a relocated install), then the configured install prefix's
// <libdir>/kmetrics/plugins. Directories that do not exist are still returned; the registry skips
// missing default directories silently.
std::vector<std::filesystem::path> defaultPluginDirs();

}  // namespace kmetrics
