// `sghubctl overdue [--socket PATH] [--json] [--offline-after D] [--max-queue-age D]`:
// the alerts past their closed-loop deadline: id, sender, recipient, urgency, what is missing, how
// long overdue. Exits 0 when the hub is healthy, 1 when degraded (see status_health.h), 2 when the
// status socket cannot be asked.
#pragma once

#include "hub/ctl/command.h"

namespace hub::ctl {

void AddOverdueCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
