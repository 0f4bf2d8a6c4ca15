// The kmetrics server: a Poco::Util::ServerApplication that starts the subsystems in dependency
// order (config → loader → store → sinks → sources → scheduler), serves until SIGTERM/SIGINT, and
// stops them in reverse within the shutdown deadline.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include "config/host_config.hpp"

namespace kmetrics {

class Server : public Poco::Util::ServerApplication {
 public:
  Server(config::HostConfig config, std::vector<std::string> notices);

 protected:
  int main(const std::vector<std::string>& args) override;

 private:
  config::HostConfig config_;
  std::vector<std::string> notices_;
};

// Blocks SIGINT/SIGTERM/SIGQUIT in the calling thread; call first in main() so every thread
// inherits the mask and only waitForTerminationRequest() receives them.
void blockTerminationSignals();

}  // namespace kmetrics
