// Identity of a history entity (node, pod or container) and a borrowed view of it for lookups
// that must not allocate. Thread-safe (plain values).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kmetrics {

enum class EntityKind : uint8_t { kNode, kPod, kContainer };

// Fields that do not apply to a kind are empty: node uses `name`; pod uses `ns` + `name`;
// container uses `ns` + `pod` + `name`.
struct EntityKeyView {
  EntityKind kind = EntityKind::kNode;
  std::string_view ns;
  std::string_view pod;
  std::string_view name;

  static EntityKeyView node(std::string_view node) { return {EntityKind::kNode, {}, {}, node}; }
  static EntityKeyView pod_of(std::string_view ns, std::string_view pod) {
    return {EntityKind::kPod, ns, {}, pod};
  }
  static EntityKeyView container(std::string_view ns, std::string_view pod, std::string_view name) {
    return {EntityKind::kContainer, ns, pod, name};
  }
  bool operator==(const EntityKeyView&) const = default;
};

struct EntityKey {
  EntityKind kind = EntityKind::kNode;
  std::string ns;
  std::string pod;
  std::string name;

  EntityKey() = default;
  explicit EntityKey(const EntityKeyView& v) : kind(v.kind), ns(v.ns), pod(v.pod), name(v.name) {}
  EntityKeyView view() const { return {kind, ns, pod, name}; }
  bool operator==(const EntityKey&) const = default;
};

// Transparent hash and equality so maps keyed by EntityKey can be searched with an EntityKeyView.
struct EntityKeyHash {
  using is_transparent = void;
  size_t operator()(const EntityKeyView& k) const noexcept {
    std::hash<std::string_view> h;
    size_t seed = static_cast<size_t>(k.kind);
    for (std::string_view part : {k.ns, k.pod, k.name}) {
      seed ^= h(part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    }
    return seed;
  }
  size_t operator()(const EntityKey& k) const noexcept { return (*this)(k.view()); }
};

struct EntityKeyEqual {
  using is_transparent = void;
  bool operator()(const EntityKeyView& a, const EntityKeyView& b) const { return a == b; }
  bool operator()(const EntityKey& a, const EntityKeyView& b) const { return a.view() == b; }
  bool operator()(const EntityKeyView& a, const EntityKey& b) const { return a == b.view(); }
  bool operator()(const EntityKey& a, const EntityKey& b) const { return a == b; }
};

}  // namespace kmetrics
