// `sghubctl status [--socket PATH] [--json] [--offline-after D] [--max-queue-age D]`:
// the hub at a glance, from its status socket: summary, agencies, queues, overdue alerts and the
// health verdict (--json: the hub's status document as is). Exits 0 when the hub is healthy, 1 when
// degraded (see status_health.h), 2 when the status socket cannot be asked.
#pragma once

#include "hub/ctl/command.h"

namespace hub::ctl {

void AddStatusCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
