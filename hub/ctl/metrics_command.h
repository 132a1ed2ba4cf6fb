// `sghubctl metrics [--socket PATH]`: prints the hub's counters and gauges in the Prometheus
// text exposition format (for node_exporter's textfile collector, or a scrape wrapper).
// The hub renders the text itself; this checks that it is not an error answer. Exits 0 on
// success and 2 when the hub cannot be asked; health is for `sghubctl status`.
#pragma once

#include "hub/ctl/command.h"

namespace hub::ctl {

void AddMetricsCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
