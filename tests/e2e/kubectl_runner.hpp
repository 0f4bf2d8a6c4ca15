// The real kubectl binaries: kubectl.1.27 … kubectl.1.33 from the gcloud SDK, and 1.20 from
// Debian's kubernetes-client (scripts/fetch-kubectl-1.20.sh, run on demand).
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "process_runner.hpp"

namespace kmetrics::e2e {

struct KubectlBinary {
  std::string version;  // "1.33", "1.20"
  std::string path;     // empty when not (yet) available
  int minor() const;
};

// The gcloud SDK kubectls that exist on this machine, oldest first (may be empty).
std::vector<KubectlBinary> installedSdkKubectls();
// Versions the suite is instantiated for: every installed SDK kubectl plus "1.20".
std::vector<std::string> kubectlVersionsUnderTest();
// Resolves a version to a binary; for 1.20 runs the fetch script if needed. Empty path plus
// `why` on failure.
KubectlBinary resolveKubectl(const std::string& version, std::string* why);
// The newest installed kubectl (fault tests use one version); empty path when none.
KubectlBinary newestKubectl();

CommandResult runKubectl(const KubectlBinary& k, const std::string& kubeconfig,
                         const std::vector<std::string>& args,
                         std::chrono::seconds timeout = std::chrono::seconds(60));

std::string describe(const CommandResult& r);  // exit code, stdout, stderr for failure messages

}  // namespace kmetrics::e2e
