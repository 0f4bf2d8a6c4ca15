// Validation of what a plugin library hands the host: its descriptor and each component. Pure
// functions over ABI structs, so they are tested without loading anything.
//
// Size rule: a struct whose struct_size is below the ABI 1.0 layout is refused; a larger one is
// accepted and the fields beyond the known layout are ignored (a newer minor may append fields).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmetrics/abi.h"

namespace kmetrics {

// The type name rule: ^[a-z][a-z0-9_]{0,62}$.
inline constexpr std::string_view kTypeNamePattern = "^[a-z][a-z0-9_]{0,62}$";
bool isValidTypeName(std::string_view name);

// Why the descriptor is refused, or nullopt. Checked in order: readable size, ABI major, ABI minor,
// full v1.0 size, component list. Only fields covered by struct_size are read.
std::optional<std::string> checkDescriptor(const kmetrics_plugin_descriptor& descriptor);

// Every problem of component `index` (empty when it is usable). Only fields covered by its
// struct_size are read.
std::vector<std::string> checkComponent(size_t index, const kmetrics_component* component);

// "source", "push sink", "query sink" (for messages and listings).
std::string kindName(const kmetrics_component& component);

}  // namespace kmetrics
