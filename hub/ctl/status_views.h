// The human-readable renderings of a StatusReport that sghubctl's status, watch, agencies,
// queues and overdue commands print. Pure functions of the report (times are relative to
// its now_ms).
#pragma once

#include <ostream>

#include "hub/ctl/status_health.h"
#include "hub/ctl/status_report.h"

namespace hub::ctl {

// Version, uptime, store, totals and audit head, in a few lines.
void PrintSummary(const StatusReport& report, std::ostream& out);
// One row per agency: kind, connected, last seen, in flight, queued, oldest.
void PrintAgencies(const StatusReport& report, std::ostream& out);
// One row per non-empty queue.
void PrintQueues(const StatusReport& report, std::ostream& out);
// One row per overdue alert, or a line saying there are none.
void PrintOverdue(const StatusReport& report, std::ostream& out);
// "health: ok" or "health: DEGRADED" and one indented line per problem.
void PrintHealth(const HealthVerdict& verdict, std::ostream& out);

// All of the above, as `sghubctl status` and `watch` show it.
void PrintFullStatus(const StatusReport& report, const HealthVerdict& verdict, std::ostream& out);

}  // namespace hub::ctl
