#include "hub/cfg/config_flags.h"

#include <CLI/CLI.hpp>

namespace hub::cfg {

ConfigFlags ParseConfigFlags(int argc, const char* const* argv, std::string_view description,
                             std::string_view config_help) {
  CLI::App app{std::string(description)};
  std::string config_file;
  std::string check_file;
  app.add_option("--config", config_file, std::string(config_help));
  app.add_option("--check-config", check_file, "validate a configuration file and exit");
  app.require_option(1);
  ConfigFlags flags;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the help or the error itself; only --help (and the like) count as success.
    flags.exit_code = app.exit(e) == 0 ? 0 : 2;
    return flags;
  }
  flags.check_only = !check_file.empty();
  flags.file = flags.check_only ? check_file : config_file;
  return flags;
}

}  // namespace hub::cfg
