// `sghubctl queues [--socket PATH] [--json] [--offline-after D] [--max-queue-age D]`:
// one row per recipient with queued items: depth and the age of the oldest item.
// Exits 0 when the hub is healthy, 1 when degraded (see status_health.h), 2 when the
// status socket cannot be asked.
#pragma once

#include "hub/ctl/command.h"

namespace hub::ctl {

void AddQueuesCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
