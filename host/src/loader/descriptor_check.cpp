#include "loader/descriptor_check.hpp"

#include <cstddef>
#include <cstring>

namespace kmetrics {
namespace {

constexpr size_t kMaxComponents = 1024;  // sanity bound on a corrupt component_count

std::string abiVersion(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

const std::string kHostAbi = abiVersion(KMETRICS_ABI_VERSION_MAJOR, KMETRICS_ABI_VERSION_MINOR);

// The minimum sizes are the first layout of this major (structs only grow with minors).
std::string tooSmall(const std::string& what, size_t got, size_t min) {
  return what + " struct_size " + std::to_string(got) + " is smaller than the ABI " +
         abiVersion(KMETRICS_ABI_VERSION_MAJOR, 0) + " minimum " + std::to_string(min);
}

std::string quoted(const char* s) { return std::string("\"") + s + "\""; }

// The kind as the plugin wrote it. Read as raw bytes: a value outside the enum would be undefined
// behaviour to load through the enum type, and a plugin can write anything there.
uint32_t rawKind(const kmetrics_component& c) {
  static_assert(sizeof(c.kind) == sizeof(uint32_t));
  uint32_t v;
  std::memcpy(&v, &c.kind, sizeof v);
  return v;
}

}  // namespace

bool isValidTypeName(std::string_view name) {
  if (name.empty() || name.size() > 63 || name[0] < 'a' || name[0] > 'z') {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> checkDescriptor(const kmetrics_plugin_descriptor& d) {
  // The version fields must be readable before anything else is trusted.
  constexpr size_t kVersionEnd = offsetof(kmetrics_plugin_descriptor, abi_minor) + sizeof(uint32_t);
  if (d.struct_size < kVersionEnd) {
    return tooSmall("descriptor", d.struct_size, KMETRICS_PLUGIN_DESCRIPTOR_MIN_SIZE);
  }
  if (d.abi_major != KMETRICS_ABI_VERSION_MAJOR) {
    return "descriptor declares ABI major " + std::to_string(d.abi_major) + ", host speaks " +
           std::to_string(KMETRICS_ABI_VERSION_MAJOR);
  }
  if (d.abi_minor > KMETRICS_ABI_VERSION_MINOR) {
    return "built for ABI " + abiVersion(d.abi_major, d.abi_minor) + ", host speaks " + kHostAbi +
           " (the plugin's minor version is newer than the host's)";
  }
  if (d.struct_size < KMETRICS_PLUGIN_DESCRIPTOR_MIN_SIZE) {
    return tooSmall("descriptor", d.struct_size, KMETRICS_PLUGIN_DESCRIPTOR_MIN_SIZE);
  }
  if (d.components == nullptr || d.component_count == 0) {
    return std::string("descriptor lists no components");
  }
  if (d.component_count > kMaxComponents) {
    return "descriptor lists " + std::to_string(d.component_count) + " components (limit " +
           std::to_string(kMaxComponents) + ")";
  }
  return std::nullopt;
}

std::string kindName(const kmetrics_component& c) {
  const uint32_t kind = rawKind(c);
  if (kind == KMETRICS_KIND_SOURCE) {
    return "source";
  }
  if (kind == KMETRICS_KIND_SINK) {
    return c.scope_or_mode == KMETRICS_SINK_PUSH ? "push sink" : "query sink";
  }
  return "unknown kind " + std::to_string(kind);
}

std::vector<std::string> checkComponent(size_t index, const kmetrics_component* c) {
  const std::string at = "component #" + std::to_string(index);
  if (c == nullptr) {
    return {at + " is NULL"};
  }
  if (c->struct_size < KMETRICS_COMPONENT_MIN_SIZE) {
    return {tooSmall(at, c->struct_size, KMETRICS_COMPONENT_MIN_SIZE)};
  }
  if (c->type == nullptr) {
    return {at + " has no type name"};
  }
  // strnlen: a missing terminator must not make the host read past a sane length.
  const std::string_view type(c->type, strnlen(c->type, 256));
  if (!isValidTypeName(type)) {
    return {at + " has invalid type name " + quoted(std::string(type).c_str()) + " (must match " +
            std::string(kTypeNamePattern) + ")"};
  }

  std::vector<std::string> problems;
  const std::string name = "component " + quoted(c->type);
  const bool source = rawKind(*c) == KMETRICS_KIND_SOURCE;
  const bool sink = rawKind(*c) == KMETRICS_KIND_SINK;
  if (!source && !sink) {
    problems.push_back(name + " has unknown kind " + std::to_string(rawKind(*c)));
  } else if (source && c->scope_or_mode != KMETRICS_SCOPE_PER_NODE &&
             c->scope_or_mode != KMETRICS_SCOPE_CLUSTER) {
    problems.push_back(name + " (source) has unknown scope " + std::to_string(c->scope_or_mode));
  } else if (sink && c->scope_or_mode != KMETRICS_SINK_QUERY &&
             c->scope_or_mode != KMETRICS_SINK_PUSH) {
    problems.push_back(name + " (sink) has unknown mode " + std::to_string(c->scope_or_mode));
  }

  std::string missing;
  auto need = [&missing](bool present, const char* hook) {
    if (!present) {
      missing += (missing.empty() ? "" : ", ") + std::string(hook);
    }
  };
  need(c->create != nullptr, "create");
  need(c->start != nullptr, "start");
  need(c->shutdown != nullptr, "shutdown");
  need(c->destroy != nullptr, "destroy");
  if (source) {
    need(c->scrape != nullptr, "scrape");
  }
  if (sink && c->scope_or_mode == KMETRICS_SINK_PUSH) {
    need(c->consume != nullptr, "consume");
  }
  if (!missing.empty()) {
    problems.push_back(name + " (" + kindName(*c) + ") has NULL required hooks: " + missing);
  }
  return problems;
}

}  // namespace kmetrics
