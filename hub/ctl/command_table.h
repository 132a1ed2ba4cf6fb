// The table of sghubctl subcommands, in the order `sghubctl --help` lists them.
#pragma once

#include <span>
#include <string_view>

#include "hub/ctl/command.h"

namespace hub::ctl {

struct CommandEntry {
  std::string_view name;  // the subcommand name, for documentation and tests
  AddCommandFn add;
};

// Every subcommand. To add one: write <name>_command.h/.cc exposing an AddCommandFn, add a
// row here and the .cc file to hub/ctl/CMakeLists.txt.
std::span<const CommandEntry> Commands();

}  // namespace hub::ctl
