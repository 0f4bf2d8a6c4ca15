// Child processes for the e2e suite: long-running servers (sim, kmetrics) with their output in
// files, and short commands (kubectl) captured with a deadline. posix_spawn, no shell.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace kmetrics::e2e {

// A background process whose stdout/stderr go to files. Stopped (SIGTERM, then SIGKILL after a
// bound) by stop() or the destructor.
class BackgroundProcess {
 public:
  BackgroundProcess() = default;
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess();

  // Throws std::runtime_error when the binary cannot be spawned.
  void start(const std::vector<std::string>& argv, const std::string& stdout_file,
             const std::string& stderr_file);
  bool running();  // false once the child has exited (reaped)
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status description.
  std::string stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  pid_t pid() const { return pid_; }
  std::string exitDescription() const { return exit_; }

 private:
  pid_t pid_ = -1;
  std::string exit_;
};

struct CommandResult {
  int exit_code = -1;  // -1: killed on timeout or by a signal
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv to completion (killed after `timeout`), capturing stdout and stderr.
CommandResult runCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

std::string readFile(const std::string& path);
// The last `max_bytes` of a file (for log dumps on failure).
std::string tailFile(const std::string& path, size_t max_bytes = 16384);

}  // namespace kmetrics::e2e
