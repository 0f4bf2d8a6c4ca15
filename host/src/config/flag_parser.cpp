#include "config/flag_parser.hpp"

namespace kmetrics::config {
namespace {

void long_flag(const std::vector<std::string>& args, std::size_t& i, ParsedArgs& out) {
  const std::string& arg = args[i];
  std::string body = arg.substr(2);
  if (body.empty() || body[0] == '-' || body[0] == '=') {
    out.errors.push_back(ConfigError{arg, "bad flag syntax: " + arg, {}});
    return;
  }
  auto eq = body.find('=');
  std::string name = body.substr(0, eq);
  const FlagSpec* spec = find_flag(name);
  if (!spec) {
    out.errors.push_back(ConfigError{"--" + name, "unknown flag: --" + name, {}});
    return;
  }
  FlagOccurrence occ{spec, "--" + name, ""};
  if (eq != std::string::npos) {
    occ.value = body.substr(eq + 1);
  } else if (spec->kind == FlagKind::boolean) {
    occ.value = "true";  // a following "false" is a positional argument, as in pflag
  } else if (i + 1 < args.size()) {
    occ.value = args[++i];  // pflag takes the next argument even when it starts with '-'
  } else {
    out.errors.push_back(ConfigError{"--" + name, "flag needs an argument: --" + name, {}});
    return;
  }
  out.flags.push_back(std::move(occ));
}

// -abc: each letter a shorthand; a non-boolean shorthand takes the rest ("-v4"), "=value", or the next arg.
void short_flags(const std::vector<std::string>& args, std::size_t& i, ParsedArgs& out) {
  const std::string arg = args[i];
  std::string rest = arg.substr(1);
  while (!rest.empty()) {
    char c = rest[0];
    const FlagSpec* spec = find_shorthand(c);
    if (!spec) {
      out.errors.push_back(
          ConfigError{"-" + std::string(1, c), "unknown shorthand flag: '" + std::string(1, c) + "' in " + arg, {}});
      return;
    }
    FlagOccurrence occ{spec, "-" + std::string(1, c), ""};
    if (rest.size() > 2 && rest[1] == '=') {
      occ.value = rest.substr(2);
      rest.clear();
    } else if (spec->kind == FlagKind::boolean) {
      occ.value = "true";
      rest = rest.substr(1);
    } else if (rest.size() > 1) {
      occ.value = rest.substr(rest[1] == '=' ? 2 : 1);
      rest.clear();
    } else if (i + 1 < args.size()) {
      occ.value = args[++i];
      rest.clear();
    } else {
      out.errors.push_back(ConfigError{"-" + std::string(1, c),
                                       "flag needs an argument: '" + std::string(1, c) + "' in " + arg, {}});
      return;
    }
    out.flags.push_back(std::move(occ));
  }
}

}  // namespace

ParsedArgs parse_args(const std::vector<std::string>& args) {
  ParsedArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.positional.insert(out.positional.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
      long_flag(args, i, out);
    } else if (arg.size() > 1 && arg[0] == '-') {
      short_flags(args, i, out);
    } else {
      out.positional.push_back(arg);
    }
  }
  return out;
}

}  // namespace kmetrics::config
