// sghubctl: the operator's tool. A table of subcommands (command_table.cc); exits 0 when
// fine, 1 when degraded, 2 on error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "hub/ctl/command.h"
#include "hub/ctl/command_table.h"
#include "hub/wire/process_init.h"

int main(int argc, char** argv) {
  if (hub::Status s = hub::wire::InitProcess("sghubctl"); !s.ok()) {
    std::cerr << "sghubctl: error: " << s.message() << "\n";
    return static_cast<int>(hub::ctl::ExitCode::kError);
  }

  CLI::App app{"sghub operator tool"};
  app.name("sghubctl");
  app.require_subcommand(1, 1);
  hub::ctl::CommandContext context;
  for (const hub::ctl::CommandEntry& command : hub::ctl::Commands()) {
    command.add(app, context);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Prints help (exit 0) or the usage error (exit 2).
    return app.exit(e) == 0 ? 0 : static_cast<int>(hub::ctl::ExitCode::kError);
  }
  return static_cast<int>(context.exit_code);
}
