// ConfigFlags is the command line shared by every program that runs from one configuration
// file (sghubd and the sghub-adapter-<kind> binaries):
//
//   PROGRAM --config FILE          run with FILE
//   PROGRAM --check-config FILE    validate FILE, report, and exit without running
//
// Exactly one of the two options is required. Parsing lives here, beside the configuration
// readers, so that the daemon and the adapters accept the same words and exit with the same
// codes. Stateless; safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hub::cfg {

struct ConfigFlags {
  std::string file;         // the configuration file, from whichever option was given
  bool check_only = false;  // --check-config: validate and exit, never run
  // Set when main() must return this code at once, without loading anything: 0 after --help
  // (usage printed on stdout), 2 after a usage error (message printed on stderr).
  std::optional<int> exit_code;
};

// Parses `argv`. `description` heads the --help text; `config_help` describes the file that
// --config takes, e.g. "hub configuration (TOML)". Never throws.
ConfigFlags ParseConfigFlags(int argc, const char* const* argv, std::string_view description,
                             std::string_view config_help);

}  // namespace hub::cfg
