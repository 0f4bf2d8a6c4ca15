// Conversion of flag text to values with Go's rules (strconv, net.ParseIP, pflag's CSV string slices),
// returning Go-style error text so messages match what metrics-server users know.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/duration.hpp"
#include "config/flag_table.hpp"

namespace kmetrics::config {

struct FlagValue {
  bool boolean = false;
  long long integer = 0;
  double number = 0;
  Duration duration{0};
  std::string text;                // string, ip, quantity
  std::vector<std::string> items;  // string_slice
};

// Converts `text` for `kind`. On failure returns false and sets `error` ("strconv.ParseInt: parsing ...").
bool convert_flag_value(FlagKind kind, std::string_view text, FlagValue& out, std::string& error);

// The flag's default as a value (from FlagSpec::default_value).
FlagValue default_flag_value(const FlagSpec& spec);

// True when `v` equals the flag's default (used to accept refused flags left at their default).
bool is_default_flag_value(const FlagSpec& spec, const FlagValue& v);

// pflag's string-slice syntax: comma-separated, CSV quoting; "" is the empty list.
bool split_csv(std::string_view text, std::vector<std::string>& out, std::string& error);

bool parse_go_bool(std::string_view text, bool& out);
bool is_ip_address(std::string_view text);

}  // namespace kmetrics::config
