// Every command-line flag kmetrics accepts: all of metrics-server v0.9's (same names, types, defaults and
// help text) plus kmetrics' own. Each flag has a policy saying what kmetrics does with it.
#pragma once

#include <string_view>
#include <vector>

namespace kmetrics::config {

// Help sections, in metrics-server's order, then ours.
enum class FlagSection {
  metrics_server, generic, kubelet_client, secure_serving, authentication, authorization, audit, features,
  logging, kmetrics
};

enum class FlagKind { boolean, string, integer, number, duration, ip, string_slice, quantity };

enum class FlagPolicy {
  implemented,  // maps onto HostConfig (detail = config path) or is an action (--help, --version, --config)
  no_op,        // moot in kmetrics: any well-typed value is accepted and has no effect (detail = why)
  refused,      // not implemented: accepted only at its default value, else an error (detail = why)
};

struct FlagSpec {
  std::string_view name;       // without dashes
  std::string_view shorthand;  // "" or one letter
  FlagSection section;
  std::string_view varname;    // shown in help after the name ("string", "duration", "" for booleans)
  FlagKind kind;
  FlagPolicy policy;
  std::string_view detail;
  std::string_view default_value;  // as metrics-server prints it ("1m0s", "[a,b]", "true"); "" = zero value
  std::string_view usage;          // help text, verbatim from metrics-server for its flags
};

const std::vector<FlagSpec>& flag_table();
const FlagSpec* find_flag(std::string_view name);
const FlagSpec* find_shorthand(char c);
std::vector<FlagSection> flag_sections();        // in help order
std::string_view section_title(FlagSection s);   // "Metrics server flags", ...

}  // namespace kmetrics::config
