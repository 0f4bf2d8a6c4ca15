#include "loader/plugin_dirs.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

namespace kmetrics {

std::vector<std::filesystem::path> defaultPluginDirs() {
  std::vector<std::filesystem::path> dirs;
  boost::dll::fs::error_code ec;
  const auto exe = boost::dll::program_location(ec);
  if (!ec) {
    const std::filesystem::path bin = std::filesystem::path(exe.string()).parent_path();
    dirs.push_back((bin / ".." / "lib" / "kmetrics" / "plugins").lexically_normal());
    const std::filesystem::path libdir = KMETRICS_INSTALL_LIBDIR;  // relative, e.g. "lib"
    if (libdir.is_relative() && libdir != "lib") {
      dirs.push_back((bin / ".." / libdir / "kmetrics" / "plugins").lexically_normal());
    }
  }
  dirs.push_back(std::filesystem::path(KMETRICS_INSTALL_PLUGIN_DIR).lexically_normal());
  return dirs;
}

}  // namespace kmetrics
