// Per-scrape workspace shared by the decoders: groups containers into pods by (namespace, pod),
// remembers which series were already seen (first one wins), and finally writes the surviving pods
// into a ScrapeResult, reusing that result's strings and vectors.
//
// All names are held as views (into the payload, the JSON parser's string buffer, or this builder's
// arena) until emit() copies them; nothing is allocated per series once capacities have grown.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "key_index.hpp"
#include "scrape_result.hpp"

namespace kmetrics::kubelet {

inline constexpr uint32_t kNoIndex = UINT32_MAX;

struct ContainerWork {
  std::string_view name;
  uint32_t next = kNoIndex;  // next container of the same pod
  uint32_t pod = kNoIndex;   // index of its pod
  uint32_t seen = 0;         // decoder-defined bits: which series/fields were already taken
  Point point;
  Extended extended;
};

struct PodWork {
  std::string_view ns;
  std::string_view name;
  uint32_t first = kNoIndex;  // first container
  uint32_t last = kNoIndex;   // last container (appends are O(1))
  bool dropped = false;       // set by the decoder's completeness rules
  Extended extended;
};

class ResultBuilder {
 public:
  void reset();

  // Index of the pod (created on first use). `inserted` is true when it was new.
  uint32_t pod(std::string_view ns, std::string_view name, bool& inserted);
  // Index of the named container of a pod (created on first use).
  uint32_t container(uint32_t pod_index, std::string_view name, bool& inserted);

  PodWork& pod_at(uint32_t i) { return pods_[i]; }
  ContainerWork& container_at(uint32_t i) { return containers_[i]; }
  std::size_t pod_count() const { return pods_.size(); }
  std::size_t container_count() const { return containers_.size(); }

  // Copies an unescaped label value into storage that lives until the next reset().
  std::string_view intern_unescaped(std::string_view raw_escaped);

  // Writes every pod not marked dropped into out.pods (in first-appearance order), reusing storage.
  void emit(ScrapeResult& out) const;

 private:
  KeyIndex pod_index_;        // (namespace, pod) → pods_ index
  KeyIndex container_index_;  // (namespace, pod, container) → containers_ index
  std::vector<PodWork> pods_;
  std::vector<ContainerWork> containers_;
  std::deque<std::string> arena_;  // deque: growing it never moves the strings already handed out
  std::size_t arena_used_ = 0;
};

}  // namespace kmetrics::kubelet
