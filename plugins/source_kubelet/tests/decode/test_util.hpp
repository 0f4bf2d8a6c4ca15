// Helpers shared by the decoder tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "decode/scrape_result.hpp"

namespace kmetrics::kubelet::testing {

// Reads a payload file from plugins/source_kubelet/testdata (path fixed at configure time).
inline std::string read_testdata(const std::string& name) {
  const std::string path = std::string(KMETRICS_KUBELET_TESTDATA_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const PodResult* find_pod(const ScrapeResult& r, const std::string& ns, const std::string& name) {
  for (const auto& p : r.pods)
    if (p.ns == ns && p.name == name) return &p;
  return nullptr;
}

inline const ContainerResult* find_container(const PodResult& p, const std::string& name) {
  for (const auto& c : p.containers)
    if (c.name == name) return &c;
  return nullptr;
}

inline uint32_t total_drops(const ScrapeResult& r) {
  uint32_t n = 0;
  for (auto d : r.drops) n += d;
  return n;
}

constexpr int64_t kMs = 1000000;            // ns per ms
constexpr int64_t kSec = 1000000000;        // ns per s

}  // namespace kmetrics::kubelet::testing
