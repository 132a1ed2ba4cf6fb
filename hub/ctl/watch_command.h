// `sghubctl watch [--interval SECONDS] [--count N] [status options]`: shows `sghubctl
// status` again every --interval seconds until Ctrl-C (or N times). A failed fetch is shown
// and retried, not fatal. Exits with the code of the last refresh: 0 healthy, 1 degraded,
// 2 when the last attempt could not ask the hub.
#pragma once

#include "hub/ctl/command.h"

namespace hub::ctl {

void AddWatchCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
