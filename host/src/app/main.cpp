// kmetrics: a plugin-based Kubernetes resource-metrics server.
//   kmetrics [metrics-server flags] [--config FILE]   serve
//   kmetrics plugins list|describe TYPE                 inspect plugins
//   kmetrics validate --config FILE [flags]             check a config without starting
//   kmetrics version
#include <malloc.h>
#include <sys/resource.h>

#include <csignal>

#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/server.hpp"
#include "config/help_text.hpp"
#include "config/load.hpp"
#include "log/logging.hpp"

namespace {

// One keep-alive connection per kubelet: thousands of nodes need more descriptors than the usual
// soft limit of 1,024.
void raiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so only the server's signal wait receives them.
  kmetrics::blockTerminationSignals();
  raiseFileLimit();
  // OpenSSL writes to sockets with write(2): a kubelet or client that resets a connection must be an
  // error on that connection, not SIGPIPE killing the process.
  std::signal(SIGPIPE, SIG_IGN);
  // Dozens of scrape threads would otherwise each keep a malloc arena of freed payload memory.
  mallopt(M_ARENA_MAX, 4);

  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty()) {
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "plugins") return kmetrics::pluginsCommand(rest);
    if (args[0] == "validate") return kmetrics::validateCommand(rest);
    if (args[0] == "version") return kmetrics::versionCommand();
  }

  auto loaded = kmetrics::config::load_config(args);
  if (loaded.help_requested) {
    std::cout << kmetrics::config::help_text();
    return 0;
  }
  if (loaded.version_requested) {
    std::cout << "v" << KMETRICS_HOST_VERSION << "\n";
    return 0;
  }
  if (!loaded.ok()) {
    std::cerr << kmetrics::config::format_errors(loaded.errors);
    return 1;
  }
  const auto& log = loaded.config.host.logging;
  kmetrics::configureLogging({log.format == "json" ? kmetrics::LogFormat::kJson : kmetrics::LogFormat::kText,
                              log.verbosity});

  kmetrics::Server server(std::move(loaded.config), std::move(loaded.notices));
  const char* app_argv[] = {argv[0]};
  return server.run(1, const_cast<char**>(app_argv));
}
