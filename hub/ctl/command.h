// The contract between sghubctl's main() and its subcommands. Each subcommand lives in its
// own file pair and exposes one function of type AddCommandFn that adds a CLI11 subcommand
// to the app and, when that subcommand runs, records its exit code in the context.
// command_table.cc lists them; main() adds them all and returns the recorded exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace hub::ctl {

// sghubctl's exit codes, for scripts and monitoring.
enum class ExitCode : int {
  kOk = 0,        // done, or healthy
  kDegraded = 1,  // done, but something needs attention (e.g. status with overdue alerts)
  kError = 2,     // failed: bad usage, bad input, or the operation could not be done
};

// Shared by all subcommands of one run. Only the subcommand that runs writes to it.
struct CommandContext {
  ExitCode exit_code = ExitCode::kOk;
};

// Adds one subcommand to `app`. The callback it installs must catch everything it can
// fail with, print one clear line to stderr, and set context.exit_code.
using AddCommandFn = void (*)(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
