#include "kubectl_runner.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#ifndef KMETRICS_E2E_SDK_BIN
#define KMETRICS_E2E_SDK_BIN "/usr/lib/google-cloud-sdk/bin"
#endif
#ifndef KMETRICS_E2E_KUBECTL_120
#define KMETRICS_E2E_KUBECTL_120 ""
#endif
#ifndef KMETRICS_E2E_FETCH_SCRIPT
#define KMETRICS_E2E_FETCH_SCRIPT ""
#endif

namespace kmetrics::e2e {
namespace fs = std::filesystem;

int KubectlBinary::minor() const { return std::stoi(version.substr(version.find('.') + 1)); }

std::vector<KubectlBinary> installedSdkKubectls() {
  std::vector<KubectlBinary> out;
  for (int minor = 27; minor <= 33; ++minor) {
    const std::string v = "1." + std::to_string(minor);
    const fs::path p = fs::path(KMETRICS_E2E_SDK_BIN) / ("kubectl." + v);
    std::error_code ec;
    if (fs::exists(p, ec) && ::access(p.c_str(), X_OK) == 0) out.push_back({v, p.string()});
  }
  return out;
}

std::vector<std::string> kubectlVersionsUnderTest() {
  std::vector<std::string> out{"1.20"};
  for (const auto& k : installedSdkKubectls()) out.push_back(k.version);
  return out;
}

KubectlBinary resolveKubectl(const std::string& version, std::string* why) {
  if (version != "1.20") {
    for (const auto& k : installedSdkKubectls()) {
      if (k.version == version) return k;
    }
    *why = "kubectl." + version + " not found in " KMETRICS_E2E_SDK_BIN;
    return {version, ""};
  }
  // 1.20: KUBECTL_1_20 overrides; else the build tree's cache, fetched once per process.
  if (const char* env = std::getenv("KUBECTL_1_20"); env != nullptr && fs::exists(env)) return {version, env};
  static std::mutex mu;
  static std::string fetched, fetch_error;
  static bool tried = false;
  std::lock_guard lock(mu);
  const std::string cached = KMETRICS_E2E_KUBECTL_120;
  if (!cached.empty() && fs::exists(cached)) return {version, cached};
  if (!tried) {
    tried = true;
    const std::string script = KMETRICS_E2E_FETCH_SCRIPT;
    // The binary lives in <dest>/usr/bin/kubectl; the script takes <dest>.
    const std::string dest = fs::path(cached).parent_path().parent_path().parent_path().string();
    if (script.empty() || cached.empty()) {
      fetch_error = "no fetch script configured";
    } else {
      auto r = runCommand({"/bin/bash", script, dest}, std::chrono::minutes(5));
      if (r.exit_code == 0 && fs::exists(cached)) {
        fetched = cached;
      } else {
        fetch_error = "scripts/fetch-kubectl-1.20.sh " + dest + " failed: " + describe(r);
      }
    }
  }
  if (!fetched.empty()) return {version, fetched};
  *why = "kubectl 1.20 unavailable (Debian kubernetes-client could not be fetched): " + fetch_error;
  return {version, ""};
}

KubectlBinary newestKubectl() {
  auto all = installedSdkKubectls();
  return all.empty() ? KubectlBinary{} : all.back();
}

CommandResult runKubectl(const KubectlBinary& k, const std::string& kubeconfig,
                         const std::vector<std::string>& args, std::chrono::seconds timeout) {
  std::vector<std::string> argv{k.path, "--kubeconfig", kubeconfig, "--request-timeout=30s"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv, timeout);
}

std::string describe(const CommandResult& r) {
  std::string s = r.timed_out ? "timed out" : "exit " + std::to_string(r.exit_code);
  s += "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
  return s;
}

}  // namespace kmetrics::e2e
