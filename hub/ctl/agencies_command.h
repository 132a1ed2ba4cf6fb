// `sghubctl agencies [--socket PATH] [--json] [--offline-after D] [--max-queue-age D]`:
// one row per registered agency: connection, last seen, in flight, queue depth and age.
// Exits 0 when the hub is healthy, 1 when degraded (see status_health.h), 2 when the
// status socket cannot be asked.
#pragma once

#include "hub/ctl/command.h"

namespace hub::ctl {

void AddAgenciesCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
